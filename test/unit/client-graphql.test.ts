/**
 * @shiftline/client's `graphql()` typed from the served schema (gql.tada over the committed
 * introspection): results and variables are inferred from the document, and a field or variable
 * the schema does not have fails type-checking — `npm run lint` runs tsc over this file, so each
 * `@ts-expect-error` below is a test that the mistake is caught.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createShiftlineClient,
  graphql,
  type ResultOf,
  type VariablesOf,
} from '../../packages/client/src/index.ts';

const ContractQuery = graphql(`
  query Contract($id: String!) {
    contract(id: $id) {
      id
      status
      staff { name }
    }
  }
`);

const ContractsQuery = graphql('query Contracts($limit: Int) { contracts(limit: $limit) { items { id } } }');

/** A client whose fetch answers `answer` and records what was posted. */
const clientAnswering = (answer: unknown) => {
  const posted: unknown[] = [];
  const fetchImpl = async (input: string | URL | Request) => {
    posted.push(await (input as Request).json());
    return Response.json(answer);
  };
  return { posted, client: createShiftlineClient({ baseUrl: 'http://service', fetch: fetchImpl }) };
};

describe('@shiftline/client graphql()', () => {
  it('infers the result and the variables from the document', () => {
    expectTypeOf<VariablesOf<typeof ContractQuery>>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<ResultOf<typeof ContractQuery>['contract']['id']>().toEqualTypeOf<string>();
    expectTypeOf<ResultOf<typeof ContractQuery>['contract']['status']>().toEqualTypeOf<
      'draft' | 'offered' | 'acknowledged' | 'active' | 'completed' | 'terminated' | 'declined' | 'withdrawn'
    >();
  });

  it('refuses, at type-checking, a field or a variable the schema does not have', () => {
    const Salary = graphql('query { contract(id: "C1") { id salary } }');
    const Misspelt = graphql('query { contractz { items { id } } }');
    const Nested = graphql('query { contracts { items { id staff { name payroll } } } }');
    const { client } = clientAnswering({ data: null });
    const calls = () => {
      // @ts-expect-error Contract has no field `salary`
      void client.graphql(Salary);
      // @ts-expect-error Query has no field `contractz`
      void client.graphql(Misspelt);
      // @ts-expect-error the staff summary has no field `payroll`
      void client.graphql(Nested);
      // @ts-expect-error `id` is a String, not a number
      void client.graphql(ContractQuery, { id: 1 });
      // @ts-expect-error `id` is required
      void client.graphql(ContractQuery);
      // @ts-expect-error the operation has no variable `cursor`
      void client.graphql(ContractsQuery, { limit: 5, cursor: 'c' });
      // Optional variables may be left out.
      void client.graphql(ContractsQuery);
    };
    expect(typeof calls).toBe('function');
  });

  it("types the README's examples: the single contract request and an acknowledgement", () => {
    const ContractDetails = graphql(`
      query ContractDetails($id: String!) {
        contract(id: $id) {
          id
          title
          status
          staff { name }
          requiredCredentials { type held }
          nextAppointments(limit: 3) { id startAt endAt }
        }
      }
    `);
    const Acknowledge = graphql(`
      mutation Acknowledge($id: String!, $input: AcknowledgeContractRequestInput!) {
        acknowledgeContract(id: $id, input: $input) { id status }
      }
    `);
    type Details = ResultOf<typeof ContractDetails>['contract'];
    expectTypeOf<Details['staff']>().toEqualTypeOf<{ name: string } | null>();
    expectTypeOf<Details['requiredCredentials'][number]>().toEqualTypeOf<{ type: string; held: boolean }>();
    expectTypeOf<Details['nextAppointments'][number]['startAt']>().toEqualTypeOf<string>();
    expectTypeOf<VariablesOf<typeof Acknowledge>>().toEqualTypeOf<{
      id: string;
      input: { version: number; contentHash: string };
    }>();
  });

  it('posts the printed document and its variables, and answers data and errors', async () => {
    // Prepare
    const contract = { id: 'C1', status: 'offered', staff: { name: 'Ada' } };
    const { posted, client } = clientAnswering({
      data: { contract },
      errors: [{ message: 'partial', extensions: { type: 'urn:x', status: 404, requestId: 'r' } }],
    });

    // Act
    const { data, errors } = await client.graphql(ContractQuery, { id: 'C1' });

    // Assess
    expect(data?.contract.staff?.name).toBe('Ada');
    expect(errors[0]?.extensions).toMatchObject({ status: 404 });
    expect(posted).toEqual([
      { query: expect.stringContaining('contract(id: $id)'), variables: { id: 'C1' } },
    ]);
    expect((posted[0] as { query: string }).query).toMatch(/^query Contract\(\$id: String!\)/);
  });
});
