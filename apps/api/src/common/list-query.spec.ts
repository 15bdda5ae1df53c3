import { ApiError } from './api-error';
import { containsPattern, contentRange, ListSpec, parseListQuery } from './list-query';

const spec: ListSpec<'email' | 'createdAt'> = {
  sortFields: ['email', 'createdAt'],
  defaultSort: ['createdAt', 'DESC'],
  filters: { q: 'string', done: 'boolean', kind: ['a', 'b'], id: 'ids', from: 'date', who: 'uuid' },
};
const ID = '7d4d2f0e-2f39-4d6e-9a43-6f0f4c1b1a10';

function problems(query: Record<string, unknown>): string[] {
  try {
    parseListQuery(query, spec);
  } catch (error) {
    return ((error as ApiError).extra.errors as { field: string }[]).map((e) => e.field);
  }
  throw new Error('expected a validation error');
}

describe(parseListQuery.name, () => {
  it('defaults to the first page of 25 in the default order', () => {
    expect(parseListQuery({}, spec)).toEqual({ sort: { field: 'createdAt', order: 'DESC' }, offset: 0, limit: 25, filter: {} });
  });

  it('reads react-admin sort, range (both ends included) and filter', () => {
    const query = parseListQuery({ sort: '["email","asc"]', range: '[50,74]', filter: `{"q":"jo","done":"true","kind":"b","from":"2026-01-01T00:00:00Z","who":"${ID.toUpperCase()}"}` }, spec);
    expect(query).toEqual({
      sort: { field: 'email', order: 'ASC' }, offset: 50, limit: 25,
      filter: { q: 'jo', done: true, kind: 'b', from: new Date('2026-01-01T00:00:00Z'), who: ID },
    });
  });

  it('skips cleared filters and answers a getMany id list whole', () => {
    expect(parseListQuery({ filter: `{"q":"","done":null,"id":["${ID}"]}`, range: '[40,44]' }, spec)).toMatchObject({ offset: 0, limit: 1, filter: { id: [ID] } });
  });

  it.each([
    [{ sort: 'email' }, 'sort'],
    [{ sort: '["password","ASC"]' }, 'sort'],
    [{ sort: '["email","UP"]' }, 'sort'],
    [{ range: '[3,1]' }, 'range'],
    [{ range: '[0,100000]' }, 'range'],
    [{ range: '[-1,5]' }, 'range'],
    [{ range: ['[0,1]', '[2,3]'] }, 'range'],
    [{ filter: '[1]' }, 'filter'],
    [{ filter: '{"nope":1}' }, 'filter.nope'],
    [{ filter: '{"kind":"c"}' }, 'filter.kind'],
    [{ filter: '{"from":"soon"}' }, 'filter.from'],
    [{ filter: '{"who":"42"}' }, 'filter.who'],
    [{ page: '2' }, 'page'],
  ])('refuses %j naming %s', (query, field) => {
    expect(problems(query)).toContain(field);
  });
});

describe('list helpers', () => {
  it('formats Content-Range for the rows returned', () => {
    expect(contentRange('customers', 0, 25, 1234)).toBe('customers 0-24/1234');
    expect(contentRange('customers', 0, 0, 0)).toBe('customers 0-0/0');
  });

  it('escapes LIKE wildcards in searches', () => {
    expect(containsPattern('a_b%c\\')).toBe('%a\\_b\\%c\\\\%');
  });
});
