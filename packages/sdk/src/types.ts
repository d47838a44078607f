// The types of each operation, from the generated schema (openapi-typescript's `operations`).
import type { OPERATIONS } from "./operations";
import type { operations } from "./schema";

export type OperationId = keyof operations & keyof typeof OPERATIONS;
type Op<K extends OperationId> = operations[K];
type ParamsOf<K extends OperationId> = Op<K> extends { parameters: infer P } ? P : never;

/** Path parameters, when the path has any (`{ videoId: string }`). */
type PathOf<K extends OperationId> = ParamsOf<K> extends { path: infer X } ? X : never;
type QueryOf<K extends OperationId> = ParamsOf<K> extends { query?: infer Q } ? NonNullable<Q> : never;
type RequestBodyOf<K extends OperationId> = Op<K> extends { requestBody?: infer R } ? NonNullable<R> : never;
// [X] extends [never] first: a conditional on a \`never\` that is not a naked type parameter is true.
type BodyOf<K extends OperationId> = [RequestBodyOf<K>] extends [never]
  ? never
  : RequestBodyOf<K> extends { content: { "application/json": infer B } }
    ? B
    : never;

type Has<T> = [T] extends [never] ? false : true;

/** What an operation takes: `path`, `query` and `body` where it has them. */
export type Args<K extends OperationId> = (Has<PathOf<K>> extends true ? { path: PathOf<K> } : unknown) &
  (Has<QueryOf<K>> extends true ? { query?: QueryOf<K> } : unknown) &
  (Has<BodyOf<K>> extends true ? { body: BodyOf<K> } : unknown);

type JsonOf<R> = R extends { content: { "application/json": infer J } } ? J : undefined;
type SuccessStatus = 200 | 201 | 202 | 203 | 204;

/** What an operation answers when it succeeds (its 2xx JSON; undefined for 204). */
export type Result<K extends OperationId> = {
  [S in keyof Op<K>["responses"]]: S extends SuccessStatus ? JsonOf<Op<K>["responses"][S]> : never;
}[keyof Op<K>["responses"]];

/** One method per operation, named by its operationId; arguments optional when it needs none. */
export type Operations = {
  [K in OperationId]: object extends Args<K>
    ? (args?: Args<K>) => Promise<Result<K>>
    : (args: Args<K>) => Promise<Result<K>>;
};
