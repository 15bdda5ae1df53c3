import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiQuery } from '@nestjs/swagger';

/** OpenAPI for react-admin's simple REST list parameters and the Content-Range answer. */
export const ListQueryParams = (examples: { filter: string; sort: string }) =>
  applyDecorators(
    ApiQuery({ name: 'sort', required: false, description: 'JSON ["field","ASC"|"DESC"]', example: examples.sort }),
    ApiQuery({ name: 'range', required: false, description: 'JSON [start, end], both included (default [0,24])', example: '[0,24]' }),
    ApiQuery({ name: 'filter', required: false, description: 'JSON object of filters', example: examples.filter }),
    ApiHeader({ name: 'Content-Range', required: false, description: 'In the answer: `<resource> <start>-<end>/<total>`' }),
  );
