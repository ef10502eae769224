/**
 * Every documented example runs: the examples that each run in a folder of their own (until Ctrl-C, or detached) (tests/helpers/examples-suite.ts says how, and against what).
 */
import { examplesSuite } from './helpers/examples-suite.js';

examplesSuite('own-folders');
