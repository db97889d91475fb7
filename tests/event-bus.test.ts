import { MemoryEventBus } from '../src/server/realtime/bus.ts';
import { eventBusContract } from './contracts/event-bus.ts';

eventBusContract('memory', () => new MemoryEventBus());
