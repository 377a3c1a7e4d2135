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
    l_0_words = {'prs': '已合并 PR', 'highlighted': '重点 PR', 'wow': '比上周', 'top_risk': '最常见风险', 'none': '无', 'avg': '平均重要性', 'themes_chart': '各主题 PR 数', 'importance_chart': '重要性分布 (横轴：重要性 0-10，纵轴：PR 数)', 'risks_chart': '风险标签数量', 'x_axis': '重要性', 'y_axis': 'PR 数', 'reasons': '评分依据', 'no_reasons': '无', 'pr': 'PR', 'importance': '重要性', 'summary': '摘要', 'title': '原标题', 'tags': '风险标签', 'story': '主题', 'prev': '上周', 'unit': '个'}
    context.vars['words'] = l_0_words
    context.exported_vars.add('words')

blocks = {}
debug_info = '1=12'