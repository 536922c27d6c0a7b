/**
 * The rule registry for the front ends (CLI, language server, extension): the data lives in the
 * engine (src/core/rules.ts), which needs the codes and their default severities itself.
 */
export {
  RULE_CODES,
  RULE_DOCS_BASE,
  RULES,
  isRiskCode,
  isRuleCode,
  ruleDocsAnchor,
  ruleDocsUrl,
  type RuleCode,
  type RuleInfo,
  type Severity,
} from '../core/rules';
