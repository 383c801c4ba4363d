/**
 * The typed inputs and outputs of the operations the reference service offers, as the service
 * itself sees them (its own types: the suite's and the SDK's are not imported here). Timestamps
 * are epoch seconds, as awsJson1_1 carries them; a member the service leaves out is undefined.
 */
export interface Caller {
  accountId: string;
  region: string;
}

export type Tags = unknown[];

export interface PageInput {
  nextToken?: string;
  maxResults?: number;
}

export interface PageOutput {
  nextToken?: string | null;
}

export type Timestamp = number;

// ---- schemas ----
export interface CreateSchemaInput { name: string; schema: string; domain?: string }
export interface CreateSchemaOutput { schemaArn: string }
export interface DescribeSchemaInput { schemaArn: string }
export interface SchemaView { name: string; schemaArn: string; schema?: string; domain?: string; creationDateTime: Timestamp; lastUpdatedDateTime: Timestamp }
export interface DescribeSchemaOutput { schema: SchemaView }
export interface DeleteSchemaInput { schemaArn: string }
export type ListSchemasInput = PageInput;
export interface ListSchemasOutput extends PageOutput { schemas: SchemaView[] }

// ---- dataset groups ----
export interface CreateDatasetGroupInput { name: string; roleArn?: string; kmsKeyArn?: string; domain?: string; tags?: Tags }
export interface CreateDatasetGroupOutput { datasetGroupArn: string; domain?: string }
export interface DescribeDatasetGroupInput { datasetGroupArn: string }
export interface DatasetGroupView {
  name: string; datasetGroupArn: string; status: string; roleArn?: string; kmsKeyArn?: string; domain?: string;
  creationDateTime: Timestamp; lastUpdatedDateTime: Timestamp;
}
export interface DescribeDatasetGroupOutput { datasetGroup: DatasetGroupView }
export interface DeleteDatasetGroupInput { datasetGroupArn: string }
export type ListDatasetGroupsInput = PageInput;
export type DatasetGroupSummary = Pick<DatasetGroupView, 'name' | 'datasetGroupArn' | 'status' | 'creationDateTime' | 'lastUpdatedDateTime' | 'domain'>;
export interface ListDatasetGroupsOutput extends PageOutput { datasetGroups: DatasetGroupSummary[] }

// ---- datasets ----
export interface CreateDatasetInput { name: string; schemaArn: string; datasetGroupArn: string; datasetType: string; tags?: Tags }
export interface CreateDatasetOutput { datasetArn: string }
export interface DescribeDatasetInput { datasetArn: string }
export interface DatasetView {
  name: string; datasetArn: string; datasetGroupArn: string; datasetType: string; schemaArn: string; status: string;
  creationDateTime: Timestamp; lastUpdatedDateTime: Timestamp;
}
export interface DescribeDatasetOutput { dataset: DatasetView }
export interface DeleteDatasetInput { datasetArn: string }
export interface ListDatasetsInput extends PageInput { datasetGroupArn?: string }
export type DatasetSummary = Pick<DatasetView, 'name' | 'datasetArn' | 'datasetType' | 'status' | 'creationDateTime' | 'lastUpdatedDateTime'>;
export interface ListDatasetsOutput extends PageOutput { datasets: DatasetSummary[] }

// ---- dataset import jobs ----
export type ImportMode = 'FULL' | 'INCREMENTAL';
export interface CreateDatasetImportJobInput {
  jobName: string; datasetArn: string; dataSource?: { dataLocation?: string }; roleArn?: string;
  importMode?: ImportMode; publishAttributionMetricsToS3?: boolean; tags?: Tags;
}
export interface CreateDatasetImportJobOutput { datasetImportJobArn: string }
export interface DescribeDatasetImportJobInput { datasetImportJobArn: string }
export interface DatasetImportJobView {
  jobName: string; datasetImportJobArn: string; datasetArn: string; dataSource: { dataLocation: string }; roleArn?: string;
  status: string; creationDateTime: Timestamp; lastUpdatedDateTime: Timestamp; failureReason?: string;
  importMode: string; publishAttributionMetricsToS3?: boolean;
}
export interface DescribeDatasetImportJobOutput { datasetImportJob: DatasetImportJobView }
export interface ListDatasetImportJobsInput extends PageInput { datasetArn?: string }
export interface DatasetImportJobSummary {
  datasetImportJobArn: string; jobName: string; status: string; creationDateTime: Timestamp; lastUpdatedDateTime: Timestamp;
  failureReason?: string; importMode: string;
  /** Members a newer service might add (option extraSummaryFields). */
  [undeclared: string]: unknown;
}
export interface ListDatasetImportJobsOutput extends PageOutput { datasetImportJobs: DatasetImportJobSummary[] }

export type EmptyOutput = Record<string, never>;

export interface ListTagsForResourceInput { resourceArn: string }
export interface ListTagsForResourceOutput { tags: Tags }
