import { describe, expect, it } from 'vitest';
import { renderStudyCsv } from './renderStudyCsv';
import { tinyStudy } from './studyFixtures.testkit';
import { buildStudyReport } from './studyReport';
import type { StudyData } from './studyData';

/** The tiny study's Basic architecture alone: runs 1–4, numbers worked out in renderStudyMarkdown.test.ts. */
function basicOnly(): StudyData {
  const data = tinyStudy();
  return { ...data, architectures: [data.architectures[0]!], runs: data.runs.filter((r) => r.architecture === 'Basic') };
}

// Sample sds of two values a, b: |a − b| / √2, i.e. √(2 · (|a − b| / 2)²).
const sd625 = Math.sqrt(2 * 3.125 ** 2); // 12.5 and 6.25; 25 and 18.75
const sd1250 = Math.sqrt(2 * 6.25 ** 2); // 31.25 and 18.75

const expected = [
  'kind,architecture,random,optimizer,lr,seed,run_id,status,seeds,diverged,failed,unfinished,best,' +
    'train_error_pct_mean,train_error_pct_sd,validation_error_pct_mean,validation_error_pct_sd,' +
    'final_train_loss,final_train_accuracy,final_val_loss,final_val_accuracy,paper_dataset,paper_train_error_pct,paper_validation_error_pct,' +
    'reached_trainLoss<=1,steps_to_trainLoss<=1,passes_to_trainLoss<=1,seconds_to_trainLoss<=1,error',
  `cell,Basic,false,CurveBall,,,,,2,0,0,0,true,9.375,${sd625},21.875,${sd625},,,,,CIFAR-10,15.3,19.3,2,3.5,14,1.75,`,
  `cell,Basic,false,SGD,0.1,,,,2,0,0,0,false,21.875,${sd625},25,${sd1250},,,,,CIFAR-10,18.9,21.1,1,,,,`,
  'run,Basic,false,CurveBall,,1,1,completed,,,,,,12.5,,25,,0.4,0.875,,0.75,,,,1,3,12,1.5,',
  'run,Basic,false,CurveBall,,2,2,completed,,,,,,6.25,,18.75,,0.3,0.9375,,0.8125,,,,1,4,16,2,',
  'run,Basic,false,SGD,0.1,1,3,completed,,,,,,25,,31.25,,1.3,0.75,,0.6875,,,,0,,,,',
  'run,Basic,false,SGD,0.1,2,4,completed,,,,,,18.75,,18.75,,0.7,0.8125,,0.8125,,,,1,3,6,0.75,',
  '',
].join('\r\n');

describe('the CSV report', () => {
  it('has a row per cell with every number and a row per run, as worked out by hand', () => {
    expect(renderStudyCsv(buildStudyReport(basicOnly(), { trainLossWindow: 2 }))).toBe(expected);
  });

  it('quotes labels and error texts with commas or quotes, and names loss columns for regression', () => {
    const data = basicOnly();
    data.architectures[0]!.label = 'Basic, "wide"';
    data.runs = data.runs.map((r) => ({ ...r, architecture: 'Basic, "wide"' }));
    data.runs[3] = { ...data.runs[3]!, status: 'failed', error: 'worker exited, code 134' };
    const csv = renderStudyCsv(buildStudyReport({ ...data, task: 'regression' }));
    expect(csv).toContain('train_loss_mean,train_loss_sd,validation_loss_mean,validation_loss_sd');
    expect(csv).toContain('\r\ncell,"Basic, ""wide""",false,CurveBall,');
    expect(csv.split('\r\n')[6]).toMatch(/^run,"Basic, ""wide""",false,SGD,0\.1,2,4,failed,.*,"worker exited, code 134"$/);
  });
});
