Feature: A new import job appears in the listing
  Control planes like this one are commonly eventually consistent: a job that
  CreateDatasetImportJob has just returned may be missing from the listing for a moment, though
  DescribeDatasetImportJob already shows it as CREATE PENDING. Every scenario that creates jobs
  waits for that moment before it lists them; this feature judges how long the moment lasts.

  Rule: A job is listed within the stated time after it is created
    # Not documented. The developer guide says only that right after the create "the status shows as CREATE PENDING" (Describe);
    # nothing public says how soon ListDatasetImportJobs shows the job, so the bound is the suite's (CONFORMANCE_LISTING_WAIT_MS) and the level is SHOULD.

    @req:LDIJ-CONS-001 @should @writes
    Scenario: a job is listed soon after it is created
      Given a new dataset "new arrivals" with no import jobs
      When a client creates an import job in dataset "new arrivals" and lists the dataset's jobs until it appears
      Then the new job was listed within the stated time
