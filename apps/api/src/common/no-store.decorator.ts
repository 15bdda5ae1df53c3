import { Header } from '@nestjs/common';

/** For answers that carry a secret or a token: no cache, no proxy, may keep a copy. */
export const NoStore = () => Header('Cache-Control', 'no-store');
