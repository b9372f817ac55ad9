/**
 * The Elasticsearch error shapes aggregations answer with: the QueryDSL parser's own, so that
 * token names and "did you mean" suggestions read the same everywhere.
 */
export { didYouMean as suggest, illegalArgument, parsingError, tokenOf, xContentError as contentError } from '../../query/parse-util.js';
