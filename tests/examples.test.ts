/**
 * Every documented example runs: the examples that run one after another in one folder (tests/helpers/examples-suite.ts says how, and against what).
 */
import { examplesSuite } from './helpers/examples-suite.js';

examplesSuite('one-folder');
