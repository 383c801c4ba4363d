/** Plain data the reference service takes from outside: a named data set to seed an account with. */
export interface DataSetJobs { count: number; outcome?: 'succeeds' | 'fails'; importMode?: 'FULL' | 'INCREMENTAL' | 'omitted' }
export interface DataSetDataset { alias: string; type: 'Interactions' | 'Items' | 'Users'; jobs: DataSetJobs[]; deleted?: boolean }
export interface DataSetGroup { name: string; where?: 'this account' | 'another region' | 'a second account'; datasets: DataSetDataset[] }
export interface DataSet { description: string; groups: DataSetGroup[] }
