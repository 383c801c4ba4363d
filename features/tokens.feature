Feature: Where a continuation token may be used
  A nextToken continues the listing it came from, for the caller it was issued to: the same
  operation, account and region (and filter: see "Choosing which import jobs are listed"). Sent
  anywhere else, it must never show anyone jobs they could not list without it, and it should be
  refused. Listing another account's data through a token would be a leak no other check sees.

  Background: the shared datasets these scenarios list
    Where the suite may write, the run arranges these datasets once, before any scenario, waits
    until every job has finished, and shares them with every scenario that only reads them: a
    few datasets of this account, and one of the same name in a second account, so that a token
    and the jobs it leads to can be told apart by whose they are.

    Given the shared datasets, arranged once for the run where the suite may write
      | dataset group | dataset | type         | where            | import jobs                             |
      | retail        | clicks  | Interactions | this account     | 3 FULL, 2 INCREMENTAL, 2 FULL that fail |
      | retail        | catalog | Items        | this account     | 3 without an import mode                |
      | media         | members | Users        | this account     | 2 FULL                                  |
      | theirs        | theirs  | Interactions | a second account | 2 FULL                                  |

  Rule: A token never shows one account's or region's jobs to another
    # Smithy paginated trait: "Continuation tokens MUST NOT influence authorization. A service MUST NOT evaluate authorization differently depending on the presence, absence, or contents of a continuation token."

    @req:LDIJ-TOKEN-001 @must @writes
    Scenario Outline: a token of this account's listing, sent <sent>
      Given the shared datasets "clicks", "catalog", "members" and "theirs"
      And a client holds a nextToken issued for the whole account
      When the token is sent <sent>
      Then the request is rejected as a client error, or none of this account's jobs of this region is listed

      Examples:
        | sent                                                   |
        | by the second account                                  |
        | by the second account, with the datasetArn of "clicks" |
        | in another region                                      |

  Rule: A token should be refused where it was not issued
    # API reference, nextToken: "A token returned from the previous call to ListDatasetImportJobs" (the caller's own); a token honoured with the caller's own jobs leaks nothing: hence SHOULD.

    @req:LDIJ-TOKEN-003 @should @writes
    Scenario Outline: a token of this account's listing, sent <sent>, is refused
      Given the shared datasets "clicks", "catalog", "members" and "theirs"
      And a client holds a nextToken issued for the whole account
      When the token is sent <sent>
      Then the request is rejected as a client error

      Examples:
        | sent                  |
        | by the second account |
        | in another region     |

  Rule: A token of another operation is refused
    # API reference, nextToken: "A token returned from the previous call to ListDatasetImportJobs"; Smithy paginated trait: "Services MUST reject a request with a client error when a client uses an expired continuation token."

    @req:LDIJ-TOKEN-002 @must @writes
    Scenario Outline: a nextToken of <operation> sent to ListDatasetImportJobs
      Given the shared datasets "clicks", "catalog" and "members"
      And a client holds a nextToken of <operation>
      When the client sends that nextToken to ListDatasetImportJobs
      Then the request is rejected as a client error

      Examples:
        | operation         |
        | ListSchemas       |
        | ListDatasets      |
        | ListDatasetGroups |
