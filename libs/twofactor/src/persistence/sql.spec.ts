import { asCtes } from './sql';

describe('asCtes', () => {
  it("numbers each statement's placeholders after those already taken, in order", () => {
    const folded = asCtes(
      [
        { sql: 'INSERT INTO a (x, y) VALUES ($1, $2)', params: ['x', 'y'] },
        { sql: 'UPDATE b SET z = $1 WHERE id = $2 OR id = $12', params: ['z', 'id', ...Array(10).fill(null)] },
      ],
      3,
      'w',
    );
    expect(folded.ctes).toEqual(['w0 AS (INSERT INTO a (x, y) VALUES ($4, $5))', 'w1 AS (UPDATE b SET z = $6 WHERE id = $7 OR id = $17)']);
    expect(folded.params).toEqual(['x', 'y', 'z', 'id', ...Array(10).fill(null)]);
  });

  it('adds nothing for no statements', () => {
    expect(asCtes([], 7, 'w')).toEqual({ ctes: [], params: [] });
  });
});
