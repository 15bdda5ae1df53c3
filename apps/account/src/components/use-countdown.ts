import { useEffect, useState } from 'react';

/** Whole seconds left until `until` (an ISO time), ticking once a second; 0 once past. */
export function useCountdown(until: string | null | undefined): number {
  const left = () => (until ? Math.max(0, Math.ceil((Date.parse(until) - Date.now()) / 1000)) : 0);
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    setSeconds(left());
    if (!until) return;
    const timer = setInterval(() => setSeconds(left()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  return seconds;
}
