import { Box } from '@mui/material';

/**
 * The codes in two columns, 1–5 down the first and 6–10 down the second. The numbers come from a
 * CSS counter in a fixed-width, right-aligned box of their own, so "10." never runs into a code
 * and copying the list copies the codes alone.
 */
export const RecoveryCodeList = ({ codes, label }: { codes: string[]; label: string }) => (
  <Box
    component="ol"
    data-testid="recovery-codes"
    aria-label={label}
    sx={{
      counterReset: 'recovery-code',
      listStyle: 'none',
      display: 'grid',
      gridTemplateColumns: 'repeat(2, max-content)',
      gridTemplateRows: `repeat(${Math.ceil(codes.length / 2)}, auto)`,
      gridAutoFlow: 'column',
      justifyContent: 'space-evenly',
      columnGap: 3,
      rowGap: 0.5,
      fontFamily: 'monospace',
      fontSize: '0.8rem',
      whiteSpace: 'nowrap',
      p: 0,
      my: 1,
      '& > li': { counterIncrement: 'recovery-code' },
      '& > li::before': {
        content: 'counter(recovery-code) "."',
        display: 'inline-block',
        width: '3ch',
        mr: '1ch',
        textAlign: 'right',
        color: 'text.secondary',
      },
    }}
  >
    {codes.map((code) => (
      <li key={code} data-testid="recovery-code-item">
        {code}
      </li>
    ))}
  </Box>
);
