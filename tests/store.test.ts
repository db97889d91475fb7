import { storeContract } from './contracts/store.ts';
import { onEveryStore } from './contracts/fixture.ts';

onEveryStore(storeContract);
