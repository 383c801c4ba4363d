Feature: Choosing which import jobs are listed
  Without a datasetArn a client sees every import job of its account in the region; with one, it
  sees exactly the jobs of that dataset. Jobs are listed whatever their status, and never leak
  across datasets, regions or accounts.

  Background: the shared datasets these scenarios list
    Where the suite may write, the run arranges these datasets once, before any scenario, waits
    until every job has finished, and shares them with every scenario that only reads them: two
    dataset groups whose names share a prefix, several datasets in one group, a dataset without
    jobs, one deleted once its jobs finished, and datasets of the same names in another region
    and in a second account. The scenario about jobs whose status changes makes a dataset of its
    own. On an account where the suite may only read, the @readonly scenarios read whatever it
    holds.

    Given the shared datasets, arranged once for the run where the suite may write
      | dataset group | dataset   | type         | where            | import jobs                                  |
      | retail        | clicks    | Interactions | this account     | 3 FULL, 2 INCREMENTAL, 2 FULL that fail       |
      | retail        | catalog   | Items        | this account     | 3 without an import mode                     |
      | retail-eu     | eu clicks | Interactions | this account     | 3 FULL                                       |
      | media         | members   | Users        | this account     | 2 FULL                                       |
      | media         | empty     | Interactions | this account     | none                                         |
      | gone          | deleted   | Interactions | this account     | 1 FULL, then the dataset is deleted          |
      | abroad        | abroad    | Interactions | another region   | 2 FULL                                       |
      | theirs        | theirs    | Interactions | a second account | 2 FULL                                       |

  Rule: Without datasetArn, every job of the account in the region is listed
    # API reference: "When a dataset is not specified, all the dataset import jobs associated with the account are listed."

    @req:LDIJ-FILTER-001 @must @writes
    Scenario Outline: the account's listing, <size> at a time, includes the jobs of all its datasets
      Given the shared datasets "clicks", "catalog" and "members"
      When a client lists all jobs of the account <size> at a time until no token remains
      Then every job of the scenario's datasets is listed

      Examples:
        | size |
        | 100  |
        | 9    |

    @req:LDIJ-FILTER-001 @must @writes
    Scenario: the account's listing without maxResults includes the jobs of all its datasets
      Given the shared datasets "clicks", "catalog" and "members"
      When a client lists all jobs of the account without maxResults until no token remains
      Then every job of the scenario's datasets is listed

    @req:LDIJ-FILTER-001 @must @writes @case:delete-one
    Scenario: a deleted dataset leaves the jobs of the others listed
      Given the shared datasets "clicks", "catalog", "members" and "deleted"
      When a client lists all jobs of the account 5 at a time until no token remains
      Then every job of the scenario's datasets is listed

  Rule: With datasetArn, exactly that dataset's jobs are listed
    # API reference: "Returns a list of dataset import jobs that use the given dataset."

    @req:LDIJ-FILTER-002 @must @writes
    Scenario Outline: listing one dataset's jobs, <size> at a time, beside other datasets' jobs
      Given the shared datasets "clicks", "catalog" and "members"
      When a client lists the jobs of dataset "clicks" <size> at a time until no token remains
      Then exactly the jobs of dataset "clicks" are listed
      And DescribeDatasetImportJob names dataset "clicks" for every listed job

      Examples:
        | size |
        | 100  |
        | 4    |
        | 1    |

    @req:LDIJ-FILTER-002 @must @readonly
    Scenario: every job listed for an existing dataset belongs to that dataset
      Given an existing dataset with import jobs
      When a client lists that dataset's jobs 10 at a time until no token remains
      Then DescribeDatasetImportJob names that dataset for every listed job

  Rule: Datasets are never conflated, whatever their names
    # API reference: "Returns a list of dataset import jobs that use the given dataset."

    @req:LDIJ-FILTER-003 @must @writes
    Scenario Outline: dataset groups whose names share a prefix: listing <dataset>
      Given the shared datasets "clicks" and "eu clicks"
      When a client lists the jobs of dataset "<dataset>" 100 at a time until no token remains
      Then exactly the jobs of dataset "<dataset>" are listed

      Examples:
        | dataset   |
        | clicks    |
        | eu clicks |

    @req:LDIJ-FILTER-004 @must @writes
    Scenario Outline: the datasets of one dataset group: listing <dataset>
      Given the shared datasets "clicks", "catalog" and "members"
      When a client lists the jobs of dataset "<dataset>" 100 at a time until no token remains
      Then exactly the jobs of dataset "<dataset>" are listed

      Examples:
        | dataset |
        | clicks  |
        | catalog |
        | members |

  Rule: A dataset without jobs gives no jobs; one that does not exist gives no other dataset's jobs
    # Smithy model: ListDatasetImportJobs declares InvalidInputException and InvalidNextTokenException only, both client errors; no source says a deleted dataset's jobs go with it.

    @req:LDIJ-FILTER-005 @must @writes
    Scenario: a dataset with no import jobs
      Given the shared datasets "clicks", "members" and "empty"
      When a client lists the jobs of dataset "empty" 100 at a time until no token remains
      Then the listing is empty

    @req:LDIJ-FILTER-006 @must @writes
    Scenario Outline: a well-formed datasetArn of a dataset that does not exist: <which>
      Given the shared datasets "clicks" and "deleted"
      When a client lists the jobs of <which>
      Then the listing holds no job of another dataset, or the request is rejected as a client error

      Examples:
        | which                                              |
        | a dataset that was never created in this account   |
        | a dataset ARN of another account                   |
        | a dataset ARN of another region                    |
        | a dataset that has been deleted                    |
        | a dataset group's ARN                              |

    @req:LDIJ-FILTER-006 @must @readonly
    Scenario: a well-formed datasetArn of no dataset, on an account as it is
      When a client lists the jobs of a dataset that was never created in this account
      Then the listing holds no job of another dataset, or the request is rejected as a client error

  Rule: Jobs are listed whatever their status
    # Smithy model, DatasetImportJobSummary.status: "CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED"

    @req:LDIJ-FILTER-007 @must @writes
    Scenario: a job is listed at every status DescribeDatasetImportJob shows it in
      Given 2 import jobs, 1 of which will fail, just created in a new dataset
      When a client lists the dataset's jobs again and again until every job has finished
      Then every listing held every job of the dataset
      And the listings followed DescribeDatasetImportJob through every status of the lifecycle

  Rule: Listings stay within the caller's account and region
    # API reference: "all the dataset import jobs associated with the account are listed"; endpoints are regional.

    @req:LDIJ-FILTER-008 @must @writes
    Scenario: jobs of another region are not listed
      Given the shared datasets "abroad" and "clicks"
      When a client lists all jobs of the account 100 at a time until no token remains
      Then none of the jobs of dataset "abroad" is listed
      And the listing holds jobs of dataset "clicks", or the scenario shows nothing

    @req:LDIJ-FILTER-009 @must @writes
    Scenario: jobs of another account are not listed
      Given the shared datasets "theirs" and "clicks"
      When a client lists all jobs of the account 100 at a time until no token remains
      Then none of the jobs of dataset "theirs" is listed
      And the listing holds jobs of dataset "clicks", or the scenario shows nothing

  Rule: A token belongs to the filter it was issued for
    # Smithy paginated trait: services MUST reject a request that changes filtering input parameters while paging.

    @req:LDIJ-FILTER-010 @must @writes
    Scenario Outline: a token issued for <issued for> sent <sent with>
      Given the shared datasets "clicks" and "catalog"
      And a client holds a nextToken issued for <issued for>
      When the client sends that nextToken <sent with>
      Then the request is rejected as a client error

      Examples:
        | issued for         | sent with                        |
        | dataset "clicks"   | with the datasetArn of "catalog" |
        | dataset "clicks"   | without a datasetArn             |
        | the whole account  | with the datasetArn of "clicks"  |
