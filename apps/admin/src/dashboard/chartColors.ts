export const COLORS = {
  primary: '#1e6fa8',
  secondary: '#6aa84f',
  success: '#2e7d32',
  failure: '#c62828',
  sms: '#1565c0',
  smsFailed: '#ef6c00',
  email: '#6a1b9a',
  emailFailed: '#ad1457',
  neutral: '#9e9e9e',
  warning: '#f9a825',
} as const;

/** "2026-03-04" → "4 Mar", read as a calendar date (no time-zone shift). */
export const shortDate = (isoDate: string): string => {
  const [year, month, day] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day)).toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
};
