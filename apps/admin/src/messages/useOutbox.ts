import { useQuery } from '@tanstack/react-query';
import { useDataProvider } from 'react-admin';
import type { TwofoldDataProvider } from '../dataProvider';

export const OUTBOX_QUERY_KEY = ['twofold', 'outbox'] as const;

/** The dev outbox; `data` is `null` when the API has none (production or real transports). */
export function useOutbox(options: { refetchInterval?: number } = {}) {
  const dataProvider = useDataProvider<TwofoldDataProvider>();
  return useQuery({
    queryKey: OUTBOX_QUERY_KEY,
    queryFn: () => dataProvider.outbox(),
    refetchInterval: options.refetchInterval,
    retry: false,
  });
}

export function useOutboxAvailable(): boolean {
  const { data, isSuccess } = useOutbox();
  return isSuccess && data !== null;
}
