export { OwnFactorsPage } from './OwnFactorsPage';
