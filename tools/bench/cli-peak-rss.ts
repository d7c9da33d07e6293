/**
 * Runs one `autodidact` command in this process and prints, as the last stdout line, its exit
 * code and the process's peak RSS (training thread and data worker threads together):
 * `{"code":0,"peak_rss_mb":812.4}`. The data-pipeline bench's flat-memory rows run it as a child.
 *
 *   node --conditions=source --import tsx tools/bench/cli-peak-rss.ts pretrain vision --data ... --steps 10
 */
import { main } from '../../packages/core/src/cli/main.js';

const code = await main(process.argv.slice(2));
process.stdout.write(`${JSON.stringify({ code, peak_rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`);
