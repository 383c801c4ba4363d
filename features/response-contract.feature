Feature: What a listed import job looks like
  Each summary in a listing tells a client the job's ARN, name, status, import mode and times, in
  the shapes the model gives them, and agrees with what DescribeDatasetImportJob says of the same
  job. Every response body is checked against the JSON Schemas in schemas/ as it comes over the
  wire; these scenarios state the rules a schema alone cannot.

  The @writes scenarios look at the scenario's own jobs, in every status and both import modes;
  the @readonly ones at whatever jobs the account already has.

  Rule: Every summary names a dataset import job of the caller's region
    # Smithy model, DatasetImportJobSummary.datasetImportJobArn targets Arn; resource type dataset-import-job

    @req:LDIJ-RESP-001 @must @writes
    Scenario: the ARNs of the scenario's jobs
      Given the data set "every-status"
      When a client lists the jobs of dataset "mixed" 100 at a time until no token remains
      Then every listed job's ARN is a dataset-import-job ARN in the caller's region

    @req:LDIJ-RESP-001 @must @readonly
    Scenario: the ARNs of the account's jobs
      Given the account has import jobs
      When a client lists all jobs of the account 100 at a time until no token remains
      Then every listed job's ARN is a dataset-import-job ARN in the caller's region

  Rule: Names, statuses and import modes take the documented values
    # Smithy model: Name length 1..63 pattern ^[a-zA-Z0-9][a-zA-Z0-9\-_]*$; ImportMode FULL | INCREMENTAL;
    # status: "CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED"

    @req:LDIJ-RESP-002 @must @writes
    Scenario: job names follow the model's Name shape
      Given the data set "every-status"
      When a client lists the jobs of dataset "mixed" 100 at a time until no token remains
      Then every listed job's name matches the model's Name pattern and length
      And every job of dataset "mixed" is listed under the name it was created with

    @req:LDIJ-RESP-002 @must @readonly
    Scenario: the account's job names follow the model's Name shape
      Given the account has import jobs
      When a client lists all jobs of the account 100 at a time until no token remains
      Then every listed job's name matches the model's Name pattern and length

    @req:LDIJ-RESP-003 @must @writes
    Scenario: statuses come from the documented lifecycle
      Given the data set "every-status"
      When a client lists the dataset's jobs again and again until every job has finished
      Then every status seen is one of the documented lifecycle statuses
      And the finished jobs show ACTIVE or CREATE FAILED as their import succeeded or failed

    @req:LDIJ-RESP-003 @must @readonly
    Scenario: the account's jobs have documented statuses
      Given the account has import jobs
      When a client lists all jobs of the account 100 at a time until no token remains
      Then every status seen is one of the documented lifecycle statuses

    @req:LDIJ-RESP-005 @must @writes
    Scenario: import modes are FULL or INCREMENTAL, as created
      Given the data set "every-status"
      When a client lists the jobs of dataset "mixed" 100 at a time until no token remains
      Then every listed job's importMode, where present, is FULL or INCREMENTAL
      And every listed job's importMode, where present, is the one it was created with

    @req:LDIJ-RESP-005 @must @readonly
    Scenario: the account's import modes are FULL or INCREMENTAL
      Given the account has import jobs
      When a client lists all jobs of the account 100 at a time until no token remains
      Then every listed job's importMode, where present, is FULL or INCREMENTAL

  Rule: Times are epoch seconds, and a job is never updated before it was created
    # Smithy model, Date: a timestamp with no timestampFormat: epoch seconds as a JSON number on awsJson1_1

    @req:LDIJ-RESP-004 @must @writes
    Scenario: the times of the scenario's jobs
      Given the data set "every-status"
      When a client lists the dataset's jobs again and again until every job has finished
      Then every listed job's times are epoch seconds on the wire
      And no listed job was last updated before it was created

    @req:LDIJ-RESP-004 @must @readonly
    Scenario: the times of the account's jobs
      Given the account has import jobs
      When a client lists all jobs of the account 100 at a time until no token remains
      Then every listed job's times are epoch seconds on the wire
      And no listed job was last updated before it was created

  Rule: Failed jobs say why, and only failed jobs
    # Smithy model, DatasetImportJobSummary.failureReason: "If a dataset import job fails, the reason behind the failure."

    @req:LDIJ-RESP-006 @should @writes
    Scenario: a failed job carries its failure reason
      Given the data set "every-status"
      When a client lists the dataset's jobs again and again until every job has finished
      Then every failed job in the listings carries a failureReason

    @req:LDIJ-RESP-006 @should @readonly
    Scenario: the account's failed jobs carry their failure reasons
      Given the account has import jobs that failed
      When a client lists all jobs of the account 100 at a time until no token remains
      Then every failed job in the listings carries a failureReason

    @req:LDIJ-RESP-007 @should @writes
    Scenario: jobs that have not failed carry no failure reason
      Given the data set "every-status"
      When a client lists the dataset's jobs again and again until every job has finished
      Then no job in the listings that has not failed carries a failureReason

  Rule: A summary agrees with DescribeDatasetImportJob
    # Smithy model: DatasetImportJobSummary and DatasetImportJob share jobName, creationDateTime and importMode.

    @req:LDIJ-RESP-008 @must @writes
    Scenario: summaries of the scenario's jobs agree with their descriptions
      Given the data set "every-status"
      When a client lists the jobs of dataset "mixed" 100 at a time until no token remains
      Then every listed job agrees with DescribeDatasetImportJob on name, creation time and import mode

    @req:LDIJ-RESP-008 @must @readonly
    Scenario: summaries of an existing dataset's jobs agree with their descriptions
      Given an existing dataset with import jobs
      When a client lists that dataset's jobs 10 at a time until no token remains
      Then every listed job agrees with DescribeDatasetImportJob on name, creation time and import mode

  Rule: An empty listing still carries its list
    # API reference, Response Syntax: {"datasetImportJobs": [...], "nextToken": "string"}

    @req:LDIJ-RESP-009 @should @writes
    Scenario: the listing of a dataset with no jobs
      Given a dataset "empty" with no import jobs
      When a client lists the jobs of dataset "empty" 100 at a time until no token remains
      Then every response carries a datasetImportJobs list

  Rule: Every body matches its schema
    # schemas/ follow the Smithy model of 2025-12-01; every body that comes over the wire is validated.

    @req:LDIJ-RESP-010 @must @writes
    Scenario: the bodies of a listing in every status
      Given the data set "every-status"
      When a client lists the dataset's jobs again and again until every job has finished
      Then every response body matched its schema

    @req:LDIJ-RESP-010 @must @readonly
    Scenario: the bodies of the account's listing
      Given the account has import jobs
      When a client lists all jobs of the account 7 at a time until no token remains
      Then every response body matched its schema
