export { StepUpHost } from './StepUpHost';
export { requestStepUp } from './stepUpBroker';
