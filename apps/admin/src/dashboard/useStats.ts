import { useQuery } from '@tanstack/react-query';
import { useDataProvider } from 'react-admin';
import type { TwofoldDataProvider } from '../dataProvider';

export function useStats() {
  const dataProvider = useDataProvider<TwofoldDataProvider>();
  return useQuery({ queryKey: ['twofold', 'stats'], queryFn: () => dataProvider.stats(), refetchInterval: 60_000 });
}
