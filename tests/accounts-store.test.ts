import { accountStoreContract } from './contracts/account-store.ts';
import { onEveryStore } from './contracts/fixture.ts';

onEveryStore(accountStoreContract);
