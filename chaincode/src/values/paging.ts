import { ChaincodeError } from './errors';
import { requireText } from './guards';

/** Which page of a paged query to read. */
export interface PageRequest {
  readonly pageSize: number;
  /** '' for the first page. */
  readonly bookmark: string;
}

export const MAX_PAGE_SIZE = 500;
/** A cap table page may be larger: a 100,000-holder export reads it a hundred times, not two hundred. */
export const MAX_CAP_TABLE_PAGE_SIZE = 1000;
const PAGE_SIZE = /^[1-9][0-9]{0,3}$/;

/**
 * Arguments arrive as strings; the page size is read digit by digit so that
 * "10abc" or "1e2" is refused rather than half-parsed.
 */
export function requirePageRequest(
  pageSize: unknown,
  bookmark: unknown,
  maxSize = MAX_PAGE_SIZE,
): PageRequest {
  const size = typeof pageSize === 'string' && PAGE_SIZE.test(pageSize) ? Number(pageSize) : Number.NaN;
  if (!(size <= maxSize)) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `pageSize must be a whole number from 1 to ${String(maxSize)} written in digits`,
    );
  }
  const mark =
    bookmark === ''
      ? ''
      : requireText(bookmark, 'bookmark', {
          expected: 'empty or the bookmark of the previous page',
          maxLength: 1024,
        });
  return { pageSize: size, bookmark: mark };
}
