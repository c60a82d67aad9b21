import * as z from 'zod';
import { ROLES } from '../roles.ts';
import '../zod-openapi.ts';

/** A live WebSocket connection, registered at `$connect` and removed at `$disconnect`. */
export const ConnectionSchema = z.object({
  connectionId: z.string().min(1),
  userId: z.string().min(1),
  roles: z.array(z.enum(ROLES)),
  /** ISO 8601 UTC. */
  connectedAt: z.string(),
  /** Epoch seconds: the token's expiry, at most 2 h after connecting (API Gateway's limit). */
  ttl: z.number().int(),
  /** The token's `iat` (epoch seconds) and `origin_jti`: revocation is checked against them. */
  issuedAt: z.number().int().optional(),
  originJti: z.string().optional(),
});

export type Connection = z.infer<typeof ConnectionSchema>;
