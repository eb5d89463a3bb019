// `npm run bench [-- --json] [-- --sizes 1000,2000]`: figures, not timed tests.
import { trialSection } from './trial-bench.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const sizesArg = args[args.indexOf('--sizes') + 1];
const sizes = args.includes('--sizes') && sizesArg ? sizesArg.split(',').map(Number) : [1000, 2000];
const trials = trialSection(sizes, json ? () => {} : (line) => console.log(line));
if (json) console.log(JSON.stringify({ trials }, null, 2));
