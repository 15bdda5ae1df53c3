import { ApiError } from './api-error';
import { COMMON_ERRORS } from './common.errors';
import { isUuid } from '@app/twofactor';

/**
 * react-admin's simple REST list convention: `sort=["field","ASC"]`, `range=[0,24]` (both ends
 * included) and `filter={...}`, each a JSON value in the query string. Anything malformed is a
 * 400 validation_failed naming the parameter, never a 500 and never silently ignored.
 */
export type FilterKind = 'string' | 'boolean' | 'uuid' | 'date' | 'ids' | readonly string[];

export interface ListSpec<SortField extends string> {
  sortFields: readonly SortField[];
  defaultSort: [SortField, 'ASC' | 'DESC'];
  filters: Record<string, FilterKind>;
  maxPageSize?: number;
}

export interface ListQuery<SortField extends string> {
  sort: { field: SortField; order: 'ASC' | 'DESC' };
  offset: number;
  limit: number;
  filter: Record<string, string | boolean | Date | string[]>;
}

const DEFAULT_PAGE = 25;

export function parseListQuery<SortField extends string>(query: Record<string, unknown>, spec: ListSpec<SortField>): ListQuery<SortField> {
  const problems: { field: string; message: string }[] = [];
  const fail = (field: string, message: string) => problems.push({ field, message });

  let sort = { field: spec.defaultSort[0], order: spec.defaultSort[1] };
  const rawSort = json(query.sort, 'sort', fail);
  if (rawSort !== undefined) {
    const [field, order] = Array.isArray(rawSort) ? rawSort : [];
    if (!Array.isArray(rawSort) || rawSort.length !== 2 || !spec.sortFields.includes(field as SortField) || !['ASC', 'DESC'].includes(String(order).toUpperCase())) {
      fail('sort', `sort must be ["field","ASC"|"DESC"] with field one of ${spec.sortFields.join(', ')}`);
    } else {
      sort = { field: field as SortField, order: String(order).toUpperCase() as 'ASC' | 'DESC' };
    }
  }

  const maxPageSize = spec.maxPageSize ?? 500;
  let offset = 0;
  let limit = DEFAULT_PAGE;
  const rawRange = json(query.range, 'range', fail);
  if (rawRange !== undefined) {
    const [start, end] = Array.isArray(rawRange) ? (rawRange as unknown[]) : [];
    if (!Array.isArray(rawRange) || rawRange.length !== 2 || !isIndex(start) || !isIndex(end) || end < start || end - start + 1 > maxPageSize) {
      fail('range', `range must be [start, end] with 0 <= start <= end and at most ${maxPageSize} rows`);
    } else {
      offset = start;
      limit = end - start + 1;
    }
  }

  const filter: ListQuery<SortField>['filter'] = {};
  const rawFilter = json(query.filter, 'filter', fail);
  if (rawFilter !== undefined) {
    if (!rawFilter || typeof rawFilter !== 'object' || Array.isArray(rawFilter)) {
      fail('filter', 'filter must be a JSON object');
    } else {
      for (const [key, value] of Object.entries(rawFilter as Record<string, unknown>)) {
        const kind = spec.filters[key];
        if (!kind) {
          fail(`filter.${key}`, `unknown filter; use ${Object.keys(spec.filters).join(', ')}`);
          continue;
        }
        if (value === null || value === '') continue; // a cleared filter input
        const parsed = parseFilterValue(kind, value);
        if (parsed === undefined) fail(`filter.${key}`, `${key} has the wrong type or format`);
        else filter[key] = parsed;
      }
    }
  }

  if (Array.isArray(filter.id)) {
    // react-admin's getMany asks for a set of ids: give them all, whatever the range.
    offset = 0;
    limit = Math.max(1, filter.id.length);
  }

  for (const key of Object.keys(query)) {
    if (!['sort', 'range', 'filter'].includes(key)) fail(key, 'unknown query parameter');
  }
  if (problems.length) throw new ApiError(400, 'validation_failed', COMMON_ERRORS.validation_failed.message, { errors: problems });
  return { sort, offset, limit, filter };
}

/** `Content-Range: customers 0-24/1234` for the rows actually returned. */
export function contentRange(resource: string, offset: number, returned: number, total: number): string {
  return `${resource} ${offset}-${offset + Math.max(returned, 1) - 1}/${total}`;
}

/** A LIKE pattern that matches `text` literally somewhere in the value. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export function startsWithPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

function json(raw: unknown, field: string, fail: (field: string, message: string) => void): unknown {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.length > 2000) {
    fail(field, `${field} must be one JSON value`);
    return undefined;
  }
  try {
    return JSON.parse(raw);
  } catch {
    fail(field, `${field} is not valid JSON`);
    return undefined;
  }
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function parseFilterValue(kind: FilterKind, value: unknown): string | boolean | Date | string[] | undefined {
  if (Array.isArray(kind)) return typeof value === 'string' && kind.includes(value) ? value : undefined;
  switch (kind) {
    case 'string':
      return typeof value === 'string' && value.length <= 254 ? value : typeof value === 'number' ? String(value) : undefined;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return value === 'true' ? true : value === 'false' ? false : undefined;
    case 'uuid':
      return isUuid(value) ? value.toLowerCase() : undefined;
    case 'date': {
      if (typeof value !== 'string' && typeof value !== 'number') return undefined;
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? undefined : date;
    }
    case 'ids': {
      const ids = Array.isArray(value) ? value : [value];
      if (ids.length > 100 || !ids.every((id) => isUuid(id))) return undefined;
      return (ids as string[]).map((id) => id.toLowerCase());
    }
    default:
      return undefined;
  }
}
