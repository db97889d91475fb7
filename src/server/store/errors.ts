import { Prisma } from '../db/client.ts';

/** A write refused by a unique key, as the store reports it to the domain. */
export class Duplicate extends Error {
  constructor(cause: unknown) {
    super('A unique key refused the write', { cause });
  }
}

/** The one test for a unique-key violation, whichever driver raised it. */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === 'P2002';
  return (error as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
