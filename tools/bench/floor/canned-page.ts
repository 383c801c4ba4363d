/** The answer of a bare in-process handler in the bench: one page of one job, whatever the request. */
export const CANNED_PAGE = JSON.stringify({ datasetImportJobs: [{ datasetImportJobArn: 'arn:aws:personalize:us-east-1:000000000000:dataset-import-job/bench', jobName: 'bench', status: 'ACTIVE', creationDateTime: 1764300000, lastUpdatedDateTime: 1764300004, importMode: 'FULL' }] });
