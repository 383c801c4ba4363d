Feature: Rejecting requests that break the contract
  A request outside the documented constraints is rejected as a client error: an HTTP 4xx status
  that the SDK does not retry, naming its error type, and best with a message. That it is the error
  type the model declares (InvalidInputException, InvalidNextTokenException) is a SHOULD: Amazon
  Forecast, on the same awsJson1_1 stack, answers a constraint violation with an undeclared
  ValidationException ("1 validation error detected: Value ... failed to satisfy constraint";
  aws-samples/amazon-forecast-samples issue 118), and Personalize may do the same. None of these
  scenarios changes anything, so all of them run on any account.

  Rule: maxResults must lie between 1 and 100
    # Smithy model, MaxResults: smithy.api#range {min: 1, max: 100}; InvalidInputException: smithy.api#error client

    @req:LDIJ-ERR-001 @must @readonly
    Scenario Outline: maxResults <maxResults> is rejected
      When a client lists the account's jobs with maxResults <maxResults>
      Then the request is rejected as a client error

      Examples:
        | maxResults |
        | 0          |
        | -1         |
        | 101        |
        | 1000       |
        | 2147483647 |

    @req:LDIJ-ERR-001 @must @writes
    Scenario Outline: maxResults <maxResults> is rejected when filtering by a dataset
      Given the shared dataset "clicks" with 7 import jobs
      When a client lists the dataset's jobs with maxResults <maxResults>
      Then the request is rejected as a client error

      Examples:
        | maxResults |
        | 0          |
        | 101        |

    @req:LDIJ-ERR-002 @must @readonly
    Scenario Outline: maxResults <maxResults> is accepted
      When a client lists the account's jobs with maxResults <maxResults>
      Then the request succeeds

      Examples:
        | maxResults |
        | 1          |
        | 100        |

    @req:LDIJ-ERR-002 @must @readonly @case:arn-256
    Scenario: a datasetArn of 256 characters is taken as any well-formed datasetArn
      When a client lists the jobs of a well-formed datasetArn of 256 characters, and of one of 80
      Then both requests get the same answer

  Rule: maxResults must be an integer
    # Smithy model, MaxResults: integer, smithy.api#range {min: 1, max: 100}; the JS SDK sends what it is given, so only the service can refuse it

    @req:LDIJ-ERR-012 @must @readonly
    Scenario Outline: maxResults <maxResults> is rejected
      When a client lists the account's jobs with the maxResults <maxResults>, as the SDK sends it
      Then the request is rejected as a client error

      Examples:
        | maxResults |
        | 1.5        |
        | "10"       |

  Rule: datasetArn must be a Personalize ARN of at most 256 characters
    # Smithy model, Arn: smithy.api#length {max: 256}, smithy.api#pattern ^arn:([a-z\d-]+):personalize:.*:.*:.+$

    @req:LDIJ-ERR-003 @must @readonly
    Scenario Outline: a datasetArn of <length> characters is rejected
      When a client lists the jobs of a well-formed datasetArn of <length> characters
      Then the request is rejected as a client error

      Examples:
        | length |
        | 257    |
        | 1024   |

    @req:LDIJ-ERR-004 @must @readonly
    Scenario Outline: a datasetArn that is <kind> is rejected
      When a client lists the jobs of the datasetArn "<datasetArn>"
      Then the request is rejected as a client error

      Examples:
        | kind                             | datasetArn                                                          |
        | an ARN of another service        | arn:aws:s3:::conformance-bucket/interactions.csv                   |
        | an ARN of another service's IAM  | arn:aws:iam::111111111111:role/PersonalizeRole                     |
        | missing its resource             | arn:aws:personalize:us-east-1:111111111111:                        |
        | missing most of its parts        | arn:aws:personalize                                                |
        | without a partition              | arn::personalize:us-east-1:111111111111:dataset/shop/INTERACTIONS  |
        | with an upper-case partition     | arn:AWS:personalize:us-east-1:111111111111:dataset/shop/INTERACTIONS |
        | plain text                       | interactions-dataset                                               |
        | a URL                            | https://personalize.us-east-1.amazonaws.com/dataset/shop          |
        | empty                            |                                                                    |

  Rule: nextToken must be a token the endpoint issued
    # Smithy model, InvalidNextTokenException: "The token is not valid."; NextToken: length max 1500, pattern ^\p{ASCII}{0,1500}$

    @req:LDIJ-ERR-005 @must @readonly
    Scenario Outline: a nextToken the endpoint never issued: <kind>
      When a client lists the account's jobs with the nextToken "<nextToken>"
      Then the request is rejected as a client error

      Examples:
        | kind                    | nextToken                                                        |
        | a word                  | garbage                                                          |
        | a number                | 2                                                                |
        | base64 text             | bm90LWEtdG9rZW4taXNzdWVkLWhlcmU=                                 |
        | a job ARN               | arn:aws:personalize:us-east-1:111111111111:dataset-import-job/x |
        | a hex handle            | 3f9d2c4b8a7e6f1d0c5b4a3928171605f4e3d2c1b0a99887                 |

    @req:LDIJ-ERR-005 @must @readonly @case:token-1500
    Scenario: a nextToken of 1500 characters, the most the model allows, that the endpoint never issued
      When a client lists the account's jobs with a nextToken that is 1500 ASCII characters long
      Then the request is rejected as a client error

    # A token cut short (a log line, a column too narrow) is one the endpoint never issued; reading it must not crash the endpoint
    @req:LDIJ-ERR-005 @must @readonly @case:cut-short
    Scenario: an issued token with its last character cut off (its base64 padding aside)
      Given the account has import jobs
      And a client holds a nextToken issued for the whole account
      When the client sends that nextToken with its last character cut off
      Then the request is rejected as a client error

    # A token often ends in a signature or checksum: a change at either end, or in the middle, should not pass
    @req:LDIJ-ERR-006 @should @readonly
    Scenario Outline: an issued token with its <place> character changed
      Given the account has import jobs
      And a client holds a nextToken issued for the whole account
      When the client sends that nextToken with its <place> character changed
      Then the request is rejected as a client error

      Examples:
        | place  |
        | first  |
        | middle |
        | last   |

    @req:LDIJ-ERR-007 @must @readonly
    Scenario Outline: a nextToken that is <kind>
      When a client lists the account's jobs with a nextToken that is <kind>
      Then the request is rejected as a client error

      Examples:
        | kind                               |
        | 1501 ASCII characters long         |
        | 5000 ASCII characters long         |
        | made of non-ASCII characters       |
        | ASCII with one non-ASCII character |

  Rule: An empty nextToken starts the listing, or is refused
    # Smithy model, NextToken: length 0..1500 (an empty token breaks no constraint); an empty output token means the end of the results, so an empty input token is ambiguous: hence SHOULD

    @req:LDIJ-ERR-013 @should @readonly
    Scenario: an empty nextToken
      Given the account has import jobs
      When a client lists the account's jobs with an empty nextToken
      Then the listing holds jobs, or the request is rejected as a client error

  Rule: Every error names its type
    # Smithy awsJson1_1 protocol: the error type is in __type, code or X-Amzn-Errortype

    @req:LDIJ-ERR-008 @must @readonly
    Scenario Outline: the error for <mistake> names its type
      When a client lists the account's jobs with <mistake>
      Then the error names its type

      Examples:
        | mistake                        |
        | maxResults 0                   |
        | maxResults 101                 |
        | a datasetArn of plain text     |
        | a nextToken it never issued    |

  Rule: An error should say what is wrong
    # Smithy model: every error of the operation has a message member, not @required; a real Personalize 400 (boto/botocore issue 1844) had a type and no message

    @req:LDIJ-ERR-011 @should @readonly
    Scenario Outline: the error for <mistake> carries a message
      When a client lists the account's jobs with <mistake>
      Then the error carries a message

      Examples:
        | mistake                        |
        | maxResults 0                   |
        | a nextToken it never issued    |

  Rule: A constraint violation should be answered with the error the model declares
    # Smithy model, ListDatasetImportJobs errors: InvalidInputException (httpError 400), InvalidNextTokenException (httpError 400).
    # Amazon Forecast answers with an undeclared ValidationException (aws-samples/amazon-forecast-samples issue 118): hence SHOULD.

    @req:LDIJ-ERR-009 @should @readonly
    Scenario Outline: <mistake> is rejected with InvalidInputException
      When a client lists the account's jobs with <mistake>
      Then the request is rejected with InvalidInputException and its HTTP status

      Examples:
        | mistake                        |
        | maxResults 0                   |
        | maxResults 101                 |
        | a datasetArn of plain text     |
        | a datasetArn of 257 characters |

    @req:LDIJ-ERR-010 @should @readonly
    Scenario: a nextToken the endpoint never issued is rejected with InvalidNextTokenException
      When a client lists the account's jobs with a nextToken it never issued
      Then the request is rejected with InvalidNextTokenException and its HTTP status

    @req:LDIJ-ERR-010 @should @readonly @case:token-1500
    Scenario: a nextToken of 1500 characters it never issued is rejected with InvalidNextTokenException
      When a client lists the account's jobs with a nextToken that is 1500 ASCII characters long
      Then the request is rejected with InvalidNextTokenException and its HTTP status
