Feature: What a listed import job looks like
  Each summary in a listing tells a client the job's ARN, name, status, import mode and times, in
  the shapes the model gives them, and agrees with what DescribeDatasetImportJob says of the same
  job. Every response body is checked against the JSON Schemas in schemas/ as it comes over the
  wire, in every scenario: a body that breaks its schema fails LDIJ-RESP-010 and the requirement
  of the field it breaks (features/requirements.json, "fields"), wherever it is seen. These
  scenarios state the rules a schema alone cannot. Null members are read as absent, as the SDK
  reads them.

  The @writes scenarios look at jobs in every status and both import modes; the @readonly ones
  at whatever jobs the account already has.

  Which edition: the suite follows the Smithy model of 2025-12-01 (schemas/), where a summary
  carries importMode (added 2022-08-02) and a nextToken may be 1500 characters long. The API
  reference in the developer guide still shows the older edition: no importMode in the summary,
  and a nextToken of at most 1300 characters. A service of that edition passes wherever the model
  makes the member optional; it fails only the SHOULD that a summary carry what Describe shows.

  Background: the shared datasets these scenarios read
    Where the suite may write, the run arranges these datasets once, before any scenario, waits
    until every job has finished, and shares them with every scenario that only reads them.
    Scenarios that watch jobs change (their statuses and last updates) make a small dataset of
    their own. On an account where the suite may only read, the @readonly scenarios read whatever
    it holds.

    Given the shared datasets, arranged once for the run where the suite may write
      | dataset group | dataset | type         | where        | import jobs                             |
      | retail        | clicks  | Interactions | this account | 3 FULL, 2 INCREMENTAL, 2 FULL that fail |
      | retail        | catalog | Items        | this account | 3 without an import mode                |
      | media         | empty   | Interactions | this account | none                                    |

  Rule: Every summary names a dataset import job of the caller's region
    # Smithy model, DatasetImportJobSummary.datasetImportJobArn targets Arn; resource type dataset-import-job

    @req:LDIJ-RESP-001 @must @writes
    Scenario: the ARNs of the scenario's jobs
      Given the shared dataset "clicks"
      When a client lists the jobs of dataset "clicks" 100 at a time until no token remains
      Then every listed job's ARN is a dataset-import-job ARN in the caller's region

    @req:LDIJ-RESP-001 @must @readonly
    Scenario: the ARNs of the account's jobs
      Given the account has import jobs
      When a client lists all jobs of the account 100 at a time until no token remains
      Then every listed job's ARN is a dataset-import-job ARN in the caller's region

  Rule: Jobs are listed under their names, statuses and import modes
    # Smithy model: Name length 1..63 pattern ^[a-zA-Z0-9][a-zA-Z0-9\-_]*$; ImportMode FULL | INCREMENTAL;
    # status: "CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED"

    @req:LDIJ-RESP-002 @must @writes
    Scenario: jobs are listed under the names they were created with
      Given the shared dataset "clicks"
      When a client lists the jobs of dataset "clicks" 100 at a time until no token remains
      Then every job of dataset "clicks" is listed under the name it was created with

    @req:LDIJ-RESP-003 @must @writes
    Scenario: the statuses of jobs that succeeded and failed
      Given the shared dataset "clicks"
      When a client lists the dataset's jobs again and again until every job has finished
      Then every status the listings show is one of the documented lifecycle statuses

    @req:LDIJ-RESP-005 @must @writes
    Scenario: the import modes of FULL and INCREMENTAL jobs
      Given the shared dataset "clicks"
      When a client lists the jobs of dataset "clicks" 100 at a time until no token remains
      Then every importMode the listings show is FULL or INCREMENTAL

  Rule: A job is listed with the import mode it was created with, FULL where it named none
    # CreateDatasetImportJob reference, importMode: "Specify how to add the new records to an existing dataset. The default import mode is FULL."

    @req:LDIJ-RESP-014 @must @writes
    Scenario: jobs created without importMode
      Given the shared dataset "catalog"
      When a client lists the dataset's jobs 100 at a time until no token remains
      Then every listed job's importMode, where present, is FULL

    @req:LDIJ-RESP-014 @must @writes @case:named-modes
    Scenario: jobs created FULL and INCREMENTAL
      Given the shared dataset "clicks"
      When a client lists the dataset's jobs 100 at a time until no token remains
      Then every listed job's importMode, where present, is the one it was created with

  Rule: Times are epoch seconds, a job is never updated before it was created, and its last update never goes back once shown
    # Smithy model, Date: timestamp (epoch seconds on awsJson1_1); lastUpdatedDateTime: "The date and time (in Unix time) that the dataset import job status was last updated."

    @req:LDIJ-RESP-004 @must @writes
    Scenario: the times of the scenario's jobs
      Given the shared dataset "clicks"
      When a client lists the dataset's jobs again and again until every job has finished
      Then no listed job was last updated before it was created
      And every time the listings show is a number of epoch seconds

    @req:LDIJ-RESP-004 @must @readonly
    Scenario: the times of the account's jobs
      Given the account has import jobs
      When a client lists all jobs of the account 100 at a time until no token remains
      Then no listed job was last updated before it was created
      And every time the listings show is a number of epoch seconds

    @req:LDIJ-RESP-013 @must @writes
    Scenario: the last update of a job never goes back once a listing has shown it
      Given 2 import jobs, 1 of which will fail, just created in a new dataset
      When a client lists the dataset's jobs again and again until every job has finished
      Then no job's lastUpdatedDateTime went back from one listing to a later one

  Rule: A listing may trail DescribeDatasetImportJob, but never leads it, and never goes back once it caught up
    # Smithy model, DatasetImportJobSummary.status: "CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED"; no source promises that List and Describe agree at every moment

    @req:LDIJ-RESP-012 @must @writes
    Scenario: statuses only move forward while jobs run, at every status of the lifecycle
      Given 2 import jobs, 1 of which will fail, just created in a new dataset
      When a client lists the dataset's jobs again and again until every job has finished
      Then no listing shows a job at an earlier status than DescribeDatasetImportJob or an earlier listing showed
      And the listings followed DescribeDatasetImportJob through every status of the lifecycle

  Rule: Failed jobs say why, and only failed jobs
    # Smithy model, DatasetImportJobSummary.failureReason: "If a dataset import job fails, the reason behind the failure."

    @req:LDIJ-RESP-006 @should @writes
    Scenario: a failed job carries its failure reason
      Given the shared dataset "clicks"
      When a client lists the dataset's jobs again and again until every job has finished
      Then every failed job in the listings carries a failureReason

    @req:LDIJ-RESP-006 @should @readonly
    Scenario: the account's failed jobs carry their failure reasons
      Given the account has import jobs that failed
      When a client lists all jobs of the account 100 at a time until no token remains
      Then every failed job in the listings carries a failureReason

    @req:LDIJ-RESP-007 @should @writes
    Scenario: jobs that have not failed carry no failure reason
      Given the shared dataset "clicks"
      When a client lists the dataset's jobs again and again until every job has finished
      Then no job in the listings that has not failed carries a failureReason

  Rule: A summary agrees with CreateDatasetImportJob and DescribeDatasetImportJob on what never changes
    # Smithy model: DatasetImportJobSummary and DatasetImportJob share jobName, creationDateTime and importMode, fixed when the job is created.

    @req:LDIJ-RESP-008 @must @writes
    Scenario: summaries of the scenario's jobs agree with their descriptions
      Given the shared dataset "clicks"
      When a client describes each job of dataset "clicks" and then lists them 100 at a time
      Then every listed job agrees with what DescribeDatasetImportJob showed before the listing

    @req:LDIJ-RESP-008 @must @readonly
    Scenario: summaries of an existing dataset's jobs agree with their descriptions
      Given an existing dataset with import jobs
      When a client describes each job of that dataset and then lists them 10 at a time
      Then every listed job agrees with what DescribeDatasetImportJob showed before the listing

  Rule: A summary carries what DescribeDatasetImportJob shows
    # Smithy model: lastUpdatedDateTime and importMode are members of DatasetImportJobSummary, not @required (hence SHOULD).

    @req:LDIJ-RESP-016 @should @writes
    Scenario: the members of the summaries of finished jobs
      Given the shared dataset "clicks"
      When a client describes each job of dataset "clicks" and then lists them 100 at a time
      Then every listed job carries the lastUpdatedDateTime and importMode that DescribeDatasetImportJob shows

  Rule: A job's creation time is when it was created
    # Smithy model, DatasetImportJobSummary.creationDateTime: "The date and time (in Unix time) that the dataset import job was created."

    @req:LDIJ-RESP-015 @must @writes
    Scenario: the creation time of a job created while the client watches
      Given a new dataset "new arrivals" with no import jobs
      When a client creates an import job in dataset "new arrivals" and follows it in the listings until it has finished
      Then the new job's creationDateTime is the time it was created

  Rule: An empty listing still carries its list
    # API reference, Response Syntax: {"datasetImportJobs": [...], "nextToken": "string"}

    @req:LDIJ-RESP-009 @should @writes
    Scenario: the listing of a dataset with no jobs
      Given the shared dataset "empty"
      When a client lists the jobs of dataset "empty" 100 at a time until no token remains
      Then every response carries a datasetImportJobs list

  Rule: A server sends no null members
    # Smithy protocol test AwsJson11ServersDontSerializeNullStructureValues; clients read nulls as absent (AwsJson11StructuresDontDeserializeNullValues).

    @req:LDIJ-RESP-011 @should @writes
    Scenario: the responses of a listing in every status
      Given the shared dataset "clicks"
      When a client lists the jobs of dataset "clicks" 3 at a time until no token remains
      Then no response of the listing carries a null member

    @req:LDIJ-RESP-011 @should @readonly
    Scenario: the responses of the account's listing
      Given the account has import jobs
      When a client lists all jobs of the account 7 at a time until no token remains
      Then no response of the listing carries a null member

  Rule: Every body matches its schema
    # schemas/ follow the Smithy model of 2025-12-01; every body that comes over the wire is validated, null members read as absent.

    @req:LDIJ-RESP-010 @must @writes
    Scenario: the bodies of a listing in every status
      Given the shared dataset "clicks"
      When a client lists the dataset's jobs again and again until every job has finished
      Then every response body of the listings matches its schema

    @req:LDIJ-RESP-010 @must @readonly
    Scenario: the bodies of the account's listing
      Given the account has import jobs
      When a client lists all jobs of the account 7 at a time until no token remains
      Then every response body of the listings matches its schema
