Feature: Paging through dataset import jobs
  A client that pages through ListDatasetImportJobs, whatever page size it asks for, sees every
  import job (and should see none twice) and knows when it has seen them all. The service chooses the order of
  the jobs, the form of its tokens and its default page size; the suite accepts any choice that
  keeps these promises.

  Background: the shared datasets these scenarios page through
    Where the suite may write, the run arranges these datasets once, before any scenario, waits
    until every job has finished, and shares them with every scenario that only reads them: the
    page sizes vary over the same few datasets (no jobs, 2, 7, and 101, one more than a page can
    hold). Scenarios whose jobs change while a client pages make small datasets of their own. On
    an account where the suite may only read, the @readonly scenarios read whatever it holds.

    Given the shared datasets, arranged once for the run where the suite may write
      | dataset group | dataset | type         | where        | import jobs                            |
      | retail        | clicks  | Interactions | this account | 3 FULL, 2 INCREMENTAL, 2 FULL that fail |
      | media         | members | Users        | this account | 2 FULL                                 |
      | media         | empty   | Interactions | this account | none                                   |
      | archive       | archive | Interactions | this account | 101 FULL                               |

  Rule: A page never holds more jobs than maxResults asks for
    # API reference, maxResults: "The maximum number of dataset import jobs to return."

    @req:LDIJ-PAGE-001 @must @writes
    Scenario Outline: paging through <total> jobs, <size> at a time
      Given the shared dataset "<dataset>" with <total> import jobs
      When a client lists the dataset's jobs <size> at a time until no token remains
      Then no page holds more than <size> jobs

      Examples:
        | dataset | total | size |
        | empty   | 0     | 1    |
        | members | 2     | 1    |
        | clicks  | 7     | 7    |
        | clicks  | 7     | 6    |
        | clicks  | 7     | 3    |
        | clicks  | 7     | 1    |
        | archive | 101   | 100  |
        | archive | 101   | 99   |
        | archive | 101   | 50   |

    @req:LDIJ-PAGE-001 @must @readonly
    Scenario Outline: paging through the account's jobs, <size> at a time
      Given the account has import jobs
      When a client lists all jobs of the account <size> at a time until no token remains
      Then no page holds more than <size> jobs

      Examples:
        | size |
        | 7    |
        | 100  |

  Rule: Following nextToken until it is absent, null or empty lists every job
    # API reference: "When a dataset is not specified, all the dataset import jobs associated with the account are listed."; "Returns a list of dataset import jobs that use the given dataset."

    @req:LDIJ-PAGE-002 @must @writes
    Scenario Outline: listing <total> jobs, <size> at a time, shows every one of them
      Given the shared dataset "<dataset>" with <total> import jobs
      When a client lists the dataset's jobs <size> at a time until no token remains
      Then every job of the dataset is listed

      Examples:
        | dataset | total | size |
        | empty   | 0     | 7    |
        | members | 2     | 7    |
        | members | 2     | 1    |
        | clicks  | 7     | 7    |
        | clicks  | 7     | 6    |
        | clicks  | 7     | 3    |
        | clicks  | 7     | 1    |
        | archive | 101   | 100  |
        | archive | 101   | 99   |
        | archive | 101   | 33   |

    @req:LDIJ-PAGE-002 @must @readonly
    Scenario: listing an existing dataset 3 at a time shows the same jobs as listing it 100 at a time
      Given an existing dataset with import jobs
      When a client lists that dataset's jobs 3 at a time and again 100 at a time
      Then both listings hold the same jobs

  Rule: A job is listed once
    # Smithy paginated trait: "Paginated responses SHOULD NOT return the same item of a paginated result set more than once."

    @req:LDIJ-PAGE-010 @should @writes
    Scenario Outline: listing <total> jobs, <size> at a time, shows none of them twice
      Given the shared dataset "<dataset>" with <total> import jobs
      When a client lists the dataset's jobs <size> at a time until no token remains
      Then no job is listed twice

      Examples:
        | dataset | total | size |
        | members | 2     | 1    |
        | clicks  | 7     | 6    |
        | clicks  | 7     | 3    |
        | archive | 101   | 33   |

  Rule: No page holds more than 100 jobs, whatever the request
    # Smithy model: ListDatasetImportJobsResponse.datasetImportJobs has length max 100.
    # The default page size, when maxResults is omitted, is the service's choice.

    @req:LDIJ-PAGE-003 @must @writes
    Scenario: listing 101 jobs without maxResults
      Given the shared dataset "archive" with 101 import jobs
      When a client lists the dataset's jobs without maxResults until no token remains
      Then no page holds more than 100 jobs
      And every job of the dataset is listed

    @req:LDIJ-PAGE-003 @must @readonly
    Scenario: listing the account's jobs without maxResults
      Given the account has import jobs
      When a client lists all jobs of the account without maxResults until no token remains
      Then no page holds more than 100 jobs

  Rule: A listing ends, and never hands out a token twice; short and empty pages are allowed
    # Smithy paginated trait: no token, or a token "set to an empty value", means the end of the results.
    # Pages may be short: a real ListRecipes page without maxResults held 11 items and a nextToken (aws-samples/amazon-personalize-samples).

    @req:LDIJ-PAGE-004 @must @writes
    Scenario Outline: the tokens of a listing of <total> jobs, <size> at a time, run out
      Given the shared dataset "<dataset>" with <total> import jobs
      When a client lists the dataset's jobs <size> at a time until no token remains
      Then the listing ends without a token leading back to an earlier page

      Examples:
        | dataset | total | size |
        | empty   | 0     | 5    |
        | clicks  | 7     | 7    |
        | clicks  | 7     | 3    |
        | clicks  | 7     | 1    |
        | archive | 101   | 2    |

    @req:LDIJ-PAGE-004 @must @readonly
    Scenario: the tokens of a listing of the account's jobs run out
      Given the account has import jobs
      When a client lists all jobs of the account 3 at a time until no token remains
      Then the listing ends without a token leading back to an earlier page

  Rule: The same request with the same token gives the same page
    # The SDK repeats a request after a network error with the same token (smithy-typescript retry middleware); Smithy paginated trait: tokens "SHOULD expire", not at first use.

    @req:LDIJ-PAGE-009 @should @writes
    Scenario: every request of a listing of 7 jobs, 3 at a time, sent twice
      Given the shared dataset "clicks" with 7 import jobs
      When a client lists the dataset's jobs 3 at a time, sending each request twice
      Then each request sent twice gave the same page both times

  Rule: The SDK paginator yields what following the tokens by hand yields
    # Smithy model: smithy.api#paginated {inputToken: nextToken, outputToken: nextToken, items: datasetImportJobs, pageSize: maxResults}

    @req:LDIJ-PAGE-005 @must @writes
    Scenario Outline: paginateListDatasetImportJobs over <total> jobs, <size> at a time
      Given the shared dataset "<dataset>" with <total> import jobs
      When a client lists the dataset's jobs with the SDK paginator, <size> at a time
      Then the paginator lists the same jobs as following the tokens by hand

      Examples:
        | dataset | total | size |
        | empty   | 0     | 10   |
        | clicks  | 7     | 3    |
        | archive | 101   | 100  |

    @req:LDIJ-PAGE-005 @must @writes
    Scenario: paginateListDatasetImportJobs with no page size
      Given the shared dataset "archive" with 101 import jobs
      When a client lists the dataset's jobs with the SDK paginator and no page size
      Then the paginator lists the same jobs as following the tokens by hand

  Rule: The page size may change from one page to the next
    # Smithy paginated trait: "Services MUST allow clients to change presentation based parameters while paginating through a result set" (pageSize is one).

    @req:LDIJ-PAGE-006 @must @writes
    Scenario Outline: changing the page size while paging, <sizes>
      Given the shared dataset "archive" with 101 import jobs
      When a client lists the dataset's jobs with the page sizes <sizes>
      Then every job of the dataset is listed
      And each page holds no more jobs than its request asked for

      Examples:
        | sizes            |
        | 3, 10, 1, 100    |
        | 25, 2            |

  Rule: Jobs that change or appear while a client pages do not disturb the listing
    # Smithy paginated trait: paginated responses SHOULD NOT return the same item more than once.

    @req:LDIJ-PAGE-007 @should @writes
    Scenario: jobs finish while a client pages through them
      Given a new dataset with 3 import jobs, 1 of which will fail
      When a client lists the dataset's jobs 2 at a time while the jobs finish between pages
      Then every job of the dataset is listed exactly once

    @req:LDIJ-PAGE-008 @should @writes
    Scenario: new jobs are created while a client pages through the account
      Given the shared dataset "clicks"
      And a new dataset "arrivals" with no import jobs
      When a client lists all jobs of the account 3 at a time while 2 new jobs are created in dataset "arrivals" between pages
      Then every job that existed before the listing began is listed exactly once
      And no job is listed twice
