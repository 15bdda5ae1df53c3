import { DataTable, DateField, List, SelectInput, useTranslate } from 'react-admin';
import { Box } from '@mui/material';
import { SHORT_DATE_TIME } from '../customers/customerFields';
import type { PendingReset, ResetStatus } from '../types';
import { Countdown } from './Countdown';
import { ResetStatusChip } from './ResetStatusChip';

const STATUSES: ResetStatus[] = ['awaiting_approval', 'scheduled', 'executed', 'cancelled', 'expired'];

const useResetFilters = () => {
  const translate = useTranslate();
  return [
    <SelectInput
      key="status"
      source="status"
      alwaysOn
      choices={STATUSES.map((id) => ({ id, name: translate(`twofold.resets.status.${id}`) }))}
      slotProps={{ htmlInput: { 'data-testid': 'reset-status-filter' } }}
    />,
  ];
};

const Column = DataTable.Col<PendingReset>;

/** Whole-reset requests, newest first: those awaiting a second supervisor, scheduled, and done. */
export const ResetList = () => (
  <List filters={useResetFilters()} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25} exporter={false}>
    <DataTable rowClick="show" bulkActionButtons={false} data-testid="reset-table">
      <Column source="customerEmail" disableSort />
      <Column source="status" render={(reset) => <ResetStatusChip status={reset.status} />} />
      <Column
        source="requestedByEmail"
        disableSort
        render={(reset) => (
          <Box sx={{ overflowWrap: 'anywhere' }}>
            <div>{reset.requestedByEmail}</div>
            <Box sx={{ color: 'text.secondary', typography: 'caption' }} data-testid="reset-row-approver">
              {reset.approvedByEmail ?? '—'}
            </Box>
          </Box>
        )}
      />
      <Column source="createdAt" render={(reset) => <DateField record={reset} source="createdAt" showTime options={SHORT_DATE_TIME} />} />
      <Column
        source="executesAt"
        render={(reset) =>
          reset.status === 'scheduled' ? <Countdown at={reset.executesAt} /> : <DateField record={reset} source="executesAt" showTime options={SHORT_DATE_TIME} emptyText="—" />
        }
      />
    </DataTable>
  </List>
);
