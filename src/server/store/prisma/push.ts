import type { Db } from '../../db/client.ts';
import type { PushStore } from '../push.ts';

export class PrismaPush implements PushStore {
  constructor(private readonly db: Db) {}
}
