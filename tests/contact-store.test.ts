import { contactStoreContract } from './contracts/contact-store.ts';
import { onEveryStore } from './contracts/fixture.ts';

onEveryStore(contactStoreContract);
