/** Plain data the reference service takes from outside: a named data set to seed an account with. */
export interface DataSetJobs { count: number; outcome?: 'succeeds' | 'fails'; importMode?: 'FULL' | 'INCREMENTAL' }
export interface DataSetDataset { alias: string; type: 'Interactions' | 'Items' | 'Users'; jobs: DataSetJobs[] }
export interface DataSet { description: string; groups: { name: string; datasets: DataSetDataset[] }[] }
