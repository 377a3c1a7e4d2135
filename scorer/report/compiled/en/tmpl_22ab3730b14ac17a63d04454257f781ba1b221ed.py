from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'words.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_words = missing
    pass
    l_0_words = {'prs': 'merged PRs', 'highlighted': 'highlighted', 'wow': 'vs last week', 'top_risk': 'top risk', 'none': 'none', 'avg': 'average importance', 'themes_chart': 'PRs per story', 'importance_chart': 'Importance distribution (x: importance 0-10, y: PRs)', 'risks_chart': 'PRs per risk tag', 'x_axis': 'importance', 'y_axis': 'PRs', 'reasons': 'why this score', 'no_reasons': 'none', 'pr': 'PR', 'importance': 'Importance', 'summary': 'Summary', 'title': 'Title', 'tags': 'Risk tags', 'story': 'Story', 'prev': 'last week', 'unit': ''}
    context.vars['words'] = l_0_words
    context.exported_vars.add('words')

blocks = {}
debug_info = '1=12'