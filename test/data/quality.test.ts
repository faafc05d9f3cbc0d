import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/data/csv.js';
import { qualityReport } from '../../src/data/quality.js';
import { repoPath } from '../helpers/tmp.js';

describe('data quality report on real datasets', () => {
  it('penguins: missing values per column, categorical columns, class balance', () => {
    const q = qualityReport(readCsv(repoPath('datasets/penguins.csv')), 'species', 'classification');
    expect(q.rows).toBe(344);
    const col = (name: string) => q.columns.find((c) => c.name === name);
    expect(col('sex')).toMatchObject({ type: 'categorical', missing: 11, distinct: 2 });
    expect(col('island')).toMatchObject({ type: 'categorical', missing: 0, distinct: 3 });
    expect(col('bill_length_mm')).toMatchObject({ type: 'numeric', missing: 2 });
    expect(q.classBalance).toEqual({ Adelie: 152, Chinstrap: 68, Gentoo: 124 });
    expect(q.warnings).toContain('imbalanced classes: Adelie 152, Chinstrap 68, Gentoo 124');
  });

  it('airquality: a missing target, IQR outliers', () => {
    const q = qualityReport(readCsv(repoPath('datasets/airquality.csv')), 'ozone', 'regression');
    expect(q.missingTarget).toBe(37);
    expect(q.warnings).toContain('37 rows have no target: they are dropped');
    expect(q.columns.find((c) => c.name === 'ozone')?.outliers).toBeGreaterThan(0);
    expect(q.classBalance).toBeNull();
  });

  it('iris: the one duplicate row; crafted leakage and identifier columns are flagged', () => {
    const iris = readCsv(repoPath('datasets/iris.csv'));
    expect(qualityReport(iris, 'species', 'classification').duplicateRows).toBe(1);
    const leaky = {
      ...iris,
      columns: [...iris.columns, 'answer', 'row_id', 'constant'],
      rows: iris.rows.map((r, i) => [...r, r[4] as string, `id-${i}`, 'x']),
    };
    const warnings = qualityReport(leaky, 'species', 'classification').warnings;
    expect(warnings).toContain('column "answer" is identical to the target: it leaks the answer');
    expect(warnings).toContain('column "row_id" has a different value on every row: an identifier, not a feature');
    expect(warnings).toContain('column "constant" is constant: it carries no information');
  });

  it('reports only the columns the study uses: a column left out by data.features is named once, never flagged', () => {
    const iris = readCsv(repoPath('datasets/iris.csv'));
    const withId = { ...iris, columns: ['row_id', ...iris.columns], rows: iris.rows.map((r, i) => [`id-${i}`, ...r]) };
    const features = iris.columns.filter((c) => c !== 'species');
    const q = qualityReport(withId, 'species', 'classification', features);
    expect(q.columns.map((c) => c.name)).toEqual(iris.columns);
    expect(q.excludedColumns).toEqual(['row_id']);
    expect(q.warnings.filter((w) => w.includes('row_id'))).toEqual(['not reported, left out by data.features: "row_id"']);
    // The unique ids no longer hide the one duplicate row of the columns the study reads.
    expect(q.duplicateRows).toBe(1);
    expect(qualityReport(withId, 'species', 'classification').warnings).toContain(
      'column "row_id" has a different value on every row: an identifier, not a feature',
    );
  });
});
