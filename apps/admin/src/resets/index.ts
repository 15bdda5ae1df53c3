import PhonelinkEraseIcon from '@mui/icons-material/PhonelinkErase';
import { ResetList } from './ResetList';
import { ResetShow } from './ResetShow';

export const resets = { list: ResetList, show: ResetShow, icon: PhonelinkEraseIcon };
