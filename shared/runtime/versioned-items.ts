/**
 * The three operations every versioned item answers the same way: create (201), read, and the
 * If-Match update, each answered with the item and its ETag. A capability hands its service's
 * functions and names the operations after its routes.
 */
import type { ServiceContext } from '#domain/context.ts';
import { withEtag } from './http-input.ts';

type Versioned = { version: number };

export const versionedItemOperations = <
  New,
  Changes,
  Created extends Versioned,
  Read extends Versioned,
  Updated extends Versioned,
>(service: {
  create(context: ServiceContext, input: New): Promise<Created>;
  get(context: ServiceContext, id: string): Promise<Read>;
  update(context: ServiceContext, id: string, expectedVersion: number, changes: Changes): Promise<Updated>;
}) => ({
  create: async ({ context, body }: { context: ServiceContext; body: New }) =>
    withEtag(await service.create(context, body), 201),

  get: async ({ context, params }: { context: ServiceContext; params: { id: string } }) =>
    withEtag(await service.get(context, params.id)),

  update: async (input: {
    context: ServiceContext;
    params: { id: string };
    ifMatch: number;
    body: Changes;
  }) => withEtag(await service.update(input.context, input.params.id, input.ifMatch, input.body)),
});
