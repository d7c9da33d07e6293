/** A Trainer run with a metrics log, for the report tests that plot or summarise what a run logged. */
import type { Dataset } from '../data/dataset.js';
import type { Method } from '../methods/method.js';
import { MetricsLog } from '../report/metrics-log.js';
import type { MetricsRow } from '../report/metrics-row.js';
import type { TrainerOptions } from '../trainer/options.js';
import { Trainer } from '../trainer/trainer.js';

/** Trains `method` on `data` with a {@link MetricsLog} writing into `dir`; the rows it logged. */
export async function loggedRun<B>(
  method: Method<B>,
  data: Dataset<B>,
  dir: string,
  options: Partial<TrainerOptions> & { batchSize: number },
): Promise<MetricsRow[]> {
  const log = new MetricsLog({ dir });
  await new Trainer(method, options, [log]).fit(data);
  return [...log.rows];
}
