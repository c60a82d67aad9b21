/**
 * GraphQL types generated from the zod schemas the route table already uses, so a payload's
 * shape is written once (STYLE.md). Output types follow what a schema produces, input types
 * what it accepts (the input side of pipes and transforms). Shapes GraphQL cannot say (records,
 * unions of objects, unknown) become the `JSON` scalar; zod still validates every input.
 * A schema named with `.openapi('Name')` keeps its name; others are named after where they sit.
 */
import { getRefId } from '@asteasolutions/zod-to-openapi';
import {
  GraphQLBoolean,
  GraphQLEnumType,
  type GraphQLFieldConfigMap,
  GraphQLFloat,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  type GraphQLNullableType,
  GraphQLObjectType,
  type GraphQLOutputType,
  GraphQLScalarType,
  GraphQLString,
  type GraphQLType,
} from 'graphql';
import type * as z from 'zod';
import { JSON_SCALAR } from './json-scalar.ts';

export const GraphQLJSON = new GraphQLScalarType(JSON_SCALAR);

type Def = { type: string } & Record<string, unknown>;
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
/** An input may be left out when it is optional or defaulted; an output, when it is optional. */
const mayBeAbsent = (schema: z.ZodType, side: 'input' | 'output'): boolean => {
  const flags = (schema as unknown as { _zod: { optin?: string; optout?: string } })._zod;
  return side === 'input' ? flags.optin !== undefined : flags.optout !== undefined;
};

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
// GraphQL reserves these as enum values (query flags such as `?overdue=true` stay strings).
const RESERVED_VALUES: ReadonlySet<string> = new Set(['true', 'false', 'null']);
const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/** Wrappers that change neither the GraphQL type nor (for outputs) the data's shape. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/**
 * The schema under its wrappers. For inputs a pipe is read from its input side; for outputs
 * from its output side, unless that is a transform (whose output zod cannot describe).
 */
const unwrap = (schema: z.ZodType, side: 'input' | 'output'): z.ZodType => {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type)) current = def.innerType as z.ZodType;
    else if (def.type === 'pipe') {
      const out = def.out as z.ZodType;
      current = side === 'input' || defOf(out).type === 'transform' ? (def.in as z.ZodType) : out;
    } else if (def.type === 'lazy') current = (def.getter as () => z.ZodType)();
    else return current;
  }
};

type Side = 'input' | 'output';
type NamedType = GraphQLType;

/** One registry per schema: a zod schema met twice is one GraphQL type. */
export class ZodGraphqlTypes {
  readonly #bySchema: Record<Side, Map<z.ZodType, NamedType>> = { input: new Map(), output: new Map() };
  readonly #names = new Set<string>();
  readonly #extensions = new Map<string, () => GraphQLFieldConfigMap<unknown, unknown>>();

  /** Fields a generated object type gains beyond its schema (resolved, not stored). */
  extend<C>(typeName: string, fields: () => GraphQLFieldConfigMap<unknown, C>): void {
    this.#extensions.set(typeName, fields as () => GraphQLFieldConfigMap<unknown, unknown>);
  }

  /** The output type of `schema`; `name` names it when the schema carries no name. */
  output(schema: z.ZodType, name: string): GraphQLOutputType {
    return this.#typeOf(schema, name, 'output') as GraphQLOutputType;
  }

  input(schema: z.ZodType, name: string): GraphQLInputType {
    return this.#typeOf(schema, name, 'input') as GraphQLInputType;
  }

  /** Nullable when the schema accepts (input) or may produce (output) absence. */
  #typeOf(schema: z.ZodType, name: string, side: Side): NamedType {
    const inner = this.#nullableTypeOf(unwrap(schema, side), name, side);
    return mayBeAbsent(schema, side) || acceptsNull(schema)
      ? inner
      : new GraphQLNonNull(inner as GraphQLNullableType);
  }

  #nullableTypeOf(schema: z.ZodType, name: string, side: Side): NamedType {
    const known = this.#bySchema[side].get(schema);
    if (known !== undefined) return known;
    const type = this.#build(schema, name, side);
    this.#bySchema[side].set(schema, type);
    return type;
  }

  #build(schema: z.ZodType, name: string, side: Side): NamedType {
    const def = defOf(schema);
    switch (def.type) {
      case 'string':
        return GraphQLString;
      case 'boolean':
        return GraphQLBoolean;
      case 'number':
        return (schema as z.ZodNumber).isInt ? GraphQLInt : GraphQLFloat;
      case 'enum':
        return this.#enum(schema, Object.values(def.entries as Record<string, string | number>), name);
      case 'literal':
      case 'union':
        return scalarOfLiterals(schema) ?? GraphQLJSON;
      case 'array':
        return new GraphQLList(this.#typeOf(def.element as z.ZodType, `${name}Item`, side));
      case 'object':
        return this.#object(schema, def.shape as Record<string, z.ZodType>, name, side);
      default:
        return GraphQLJSON;
    }
  }

  #enum(schema: z.ZodType, values: readonly (string | number)[], name: string): NamedType {
    const named = (value: string | number) =>
      typeof value === 'string' && GRAPHQL_NAME.test(value) && !RESERVED_VALUES.has(value);
    if (!values.every(named)) return GraphQLString;
    return new GraphQLEnumType({
      name: this.#claim(getRefId(schema) ?? name),
      values: Object.fromEntries(values.map((value) => [value, { value }])),
    });
  }

  #object(schema: z.ZodType, shape: Record<string, z.ZodType>, name: string, side: Side): NamedType {
    const refId = getRefId(schema);
    const typeName = this.#claim(side === 'input' ? `${refId ?? name}Input` : (refId ?? name));
    const entries = Object.entries(shape).filter(([key]) => GRAPHQL_NAME.test(key));
    const description = schema.description;
    if (side === 'input') {
      return new GraphQLInputObjectType({
        name: typeName,
        description,
        fields: () =>
          Object.fromEntries(
            entries.map(([key, field]) => [
              key,
              {
                type: this.input(field, `${typeName.replace(/Input$/, '')}${pascal(key)}`),
                description: field.description,
              },
            ]),
          ),
      });
    }
    return new GraphQLObjectType({
      name: typeName,
      description,
      fields: () => ({
        ...Object.fromEntries(
          entries.map(([key, field]) => [
            key,
            { type: this.output(field, `${typeName}${pascal(key)}`), description: field.description },
          ]),
        ),
        ...this.#extensions.get(typeName)?.(),
      }),
    });
  }

  /** Type names are unique; a second unnamed shape under the same name gets a number. */
  #claim(name: string): string {
    let candidate = name;
    for (let n = 2; this.#names.has(candidate); n += 1) candidate = `${name}${n}`;
    this.#names.add(candidate);
    return candidate;
  }
}

const acceptsNull = (schema: z.ZodType): boolean => {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.type === 'nullable') return true;
    if (!WRAPPERS.has(def.type)) return false;
    current = def.innerType as z.ZodType;
  }
};

/** A union of literals of one kind (`z.union([z.literal(90), z.literal(60)])`) is that scalar. */
const scalarOfLiterals = (schema: z.ZodType): GraphQLScalarType | undefined => {
  const def = defOf(schema);
  const members = def.type === 'union' ? (def.options as z.ZodType[]).map(defOf) : [def];
  const values = members.flatMap((member) =>
    member.type === 'literal' ? (member.values as unknown[]) : member.type === 'string' ? [''] : [undefined],
  );
  if (values.every((value) => typeof value === 'string')) return GraphQLString;
  if (values.every((value) => typeof value === 'number' && Number.isInteger(value))) return GraphQLInt;
  if (values.every((value) => typeof value === 'boolean')) return GraphQLBoolean;
  return undefined;
};
