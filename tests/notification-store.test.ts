import { notificationStoreContract } from './contracts/notification-store.ts';
import { onEveryStore } from './contracts/fixture.ts';

onEveryStore(notificationStoreContract);
