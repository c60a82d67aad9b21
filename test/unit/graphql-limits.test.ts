/**
 * The hostile-input limits on parsed documents: GraphiQL's introspection query passes (its
 * depth is graphql-js's introspection rule's to bound), the same depth in data fields does not.
 */
import { getIntrospectionQuery, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { limitBreachOf } from '#runtime/graphql/limits.ts';

describe('GraphQL limits', () => {
  it("let GraphiQL's introspection query through (15 levels of __schema and ofType)", () => {
    // Prepare
    const document = parse(getIntrospectionQuery({ schemaDescription: true, inputValueDeprecation: true }));

    // Act
    const breach = limitBreachOf(document);

    // Assess
    expect(breach).toBeUndefined();
  });

  it('still refuse 11 levels of data fields, under an introspection field or not', () => {
    // Prepare
    const deep = `${'{ me '.repeat(10)}{ id }${' }'.repeat(10)}`;
    const beside = `{ __schema { queryType { name } } ${deep.slice(2, -2)} }`;

    // Act
    const breaches = [limitBreachOf(parse(deep)), limitBreachOf(parse(beside))];

    // Assess
    expect(breaches.map((breach) => breach?.message)).toEqual([
      'The query is 11 levels deep; the limit is 10',
      'The query is 11 levels deep; the limit is 10',
    ]);
  });
});
