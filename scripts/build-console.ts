import { buildConsole } from '../infra/console/build.js';

/** `npm run build:console`: the operator console into console/dist (npm start and the CDK app also build it). */
console.log(`console built into ${buildConsole()}`);
