import { describeWorkload } from './workload-cases'

describeWorkload(0)
