from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'daily/daily_zh.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_header = resolve('header')
    l_0_counts = resolve('counts')
    l_0_empty = resolve('empty')
    l_0_summary = resolve('summary')
    l_0_platforms = resolve('platforms')
    l_0_discussed = resolve('discussed')
    l_0_notable = resolve('notable')
    l_0_new_discussed = resolve('new_discussed')
    l_0_watch_issues = resolve('watch_issues')
    l_0_watch_merges = resolve('watch_merges')
    l_0_observations = resolve('observations')
    l_0_ref = l_0_line = missing
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_2 = environment.tests['defined']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No test named 'defined' found.")
    try:
        t_3 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    def macro(l_1_i):
        t_4 = []
        if l_1_i is missing:
            l_1_i = undefined("parameter 'i' was not provided", name='i')
        pass
        t_4.extend((
            '[#',
            str(environment.getattr(l_1_i, 'number')),
            '](',
            str(environment.getattr(l_1_i, 'url')),
            ')',
        ))
        return concat(t_4)
    context.exported_vars.add('ref')
    context.vars['ref'] = l_0_ref = Macro(environment, macro, 'ref', ('i',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_i):
        t_5 = []
        if l_1_i is missing:
            l_1_i = undefined("parameter 'i' was not provided", name='i')
        pass
        t_5.extend((
            str(context.call((undefined(name='ref') if l_0_ref is missing else l_0_ref), l_1_i)),
            ' ',
            str(environment.getattr(l_1_i, 'title')),
        ))
        if environment.getattr(l_1_i, 'labels'):
            pass
            t_5.extend((
                ' `',
                str(t_1(context.eval_ctx, environment.getattr(l_1_i, 'labels'), '` `')),
                '`',
            ))
        t_5.extend((
            ' — ',
            str(environment.getattr(l_1_i, 'author')),
        ))
        if environment.getattr(l_1_i, 'bot'):
            pass
            t_5.append(
                ' (机器人)',
            )
        t_5.extend((
            '，',
            str(environment.getattr(l_1_i, 'time')),
        ))
        return concat(t_5)
    context.exported_vars.add('line')
    context.vars['line'] = l_0_line = Macro(environment, macro, 'line', ('i',), False, False, False, context.eval_ctx.autoescape)
    yield '# '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'display_name'))
    yield ' 日报 ('
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'period'))
    yield ')\n\n- 仓库: `'
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'repo'))
    yield '`\n- 时间范围: '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'start'))
    yield ' 至 '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'end'))
    yield ' ('
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'tz'))
    yield ')\n- 新开 issue '
    yield str(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'new_issues'))
    yield ' 个，关闭 issue '
    yield str(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'closed_issues'))
    yield ' 个；新开 PR '
    yield str(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'new_prs'))
    yield ' 个，合并 PR '
    yield str(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'merged_prs'))
    yield ' 个，关闭未合并 PR '
    yield str(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'closed_unmerged'))
    yield ' 个。本报告由 scorer 自动生成'
    if environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'model_name'):
        pass
        yield ' (模型 '
        yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'model_name'))
        yield ' '
        yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'model_version'))
        yield ')'
    yield '\n\n'
    if (undefined(name='empty') if l_0_empty is missing else l_0_empty):
        pass
        yield '本时间窗口内没有 issue 或 PR 的新开、合并或关闭。\n'
    else:
        pass
        yield '## 状态摘要\n\n本窗口新开 '
        yield str(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'new_issues'))
        yield ' 个 issue、关闭 '
        yield str(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'closed_issues'))
        yield ' 个；新开 '
        yield str(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'new_prs'))
        yield ' 个 PR，合并 '
        yield str(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'merged_prs'))
        yield ' 个，'
        yield str(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'closed_unmerged'))
        yield ' 个未合并即关闭。'
        if (not t_3(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'avg_importance'))):
            pass
            yield '合并的 PR 平均重要性 '
            yield str(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'avg_importance'))
            yield ' 分'
            if environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'kinds'):
                pass
                yield '，以'
                l_1_loop = missing
                for l_1_k, l_1_loop in LoopContext(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'kinds'), undefined):
                    _loop_vars = {}
                    pass
                    yield str(environment.getattr(l_1_k, 'name'))
                    yield ' ('
                    yield str(environment.getattr(l_1_k, 'count'))
                    yield ')'
                    if (not environment.getattr(l_1_loop, 'last')):
                        pass
                        yield '、'
                l_1_loop = l_1_k = missing
                yield '为主'
            yield '。'
        yield '共有 '
        yield str(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'contributors'))
        yield ' 位贡献者参与'
        if environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'bots'):
            pass
            yield '，另有 '
            yield str(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'bots'))
            yield ' 个机器人账号'
        yield '。'
        if environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'open_bug_issues'):
            pass
            yield '新开的缺陷 issue 中有 '
            yield str(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'open_bug_issues'))
            yield ' 个仍未关闭。'
        yield '\n\n## 平台与生态\n\n'
        if (undefined(name='platforms') if l_0_platforms is missing else l_0_platforms):
            pass
            l_1_loop = missing
            for l_1_p, l_1_loop in LoopContext((undefined(name='platforms') if l_0_platforms is missing else l_0_platforms), undefined):
                _loop_vars = {}
                pass
                yield '- **'
                yield str(environment.getattr(l_1_p, 'name'))
                yield '**: '
                yield str(environment.getattr(l_1_p, 'count'))
                yield ' 项 — '
                l_2_loop = missing
                for l_2_i, l_2_loop in LoopContext(environment.getattr(l_1_p, 'entries'), undefined):
                    _loop_vars = {}
                    pass
                    yield str(context.call((undefined(name='ref') if l_0_ref is missing else l_0_ref), l_2_i, _loop_vars=_loop_vars))
                    yield ' '
                    yield str(environment.getattr(l_2_i, 'title'))
                    if (not environment.getattr(l_2_loop, 'last')):
                        pass
                        yield '；'
                l_2_loop = l_2_i = missing
                yield '\n'
            l_1_loop = l_1_p = missing
        else:
            pass
            yield '本窗口无平台相关动态。\n'
        yield '\n## 讨论最多\n\n'
        if (undefined(name='discussed') if l_0_discussed is missing else l_0_discussed):
            pass
            for l_1_i in (undefined(name='discussed') if l_0_discussed is missing else l_0_discussed):
                _loop_vars = {}
                pass
                yield '- '
                yield str(context.call((undefined(name='ref') if l_0_ref is missing else l_0_ref), l_1_i, _loop_vars=_loop_vars))
                yield ' '
                yield str(environment.getattr(l_1_i, 'title'))
                yield ' — '
                yield str(environment.getattr(l_1_i, 'comments'))
                yield ' 条评论 ('
                yield str(('议题' if (environment.getattr(l_1_i, 'kind') == 'issue') else 'PR'))
                yield '，'
                yield str(environment.getattr(l_1_i, 'author'))
                if environment.getattr(l_1_i, 'bot'):
                    pass
                    yield '，机器人'
                yield ')\n'
            l_1_i = missing
        else:
            pass
            yield '本窗口没有带评论的条目。\n'
        yield '\n## 值得关注的变更\n\n'
        if (undefined(name='notable') if l_0_notable is missing else l_0_notable):
            pass
            for l_1_n in (undefined(name='notable') if l_0_notable is missing else l_0_notable):
                _loop_vars = {}
                pass
                yield '- [#'
                yield str(environment.getattr(l_1_n, 'number'))
                yield ']('
                yield str(environment.getattr(l_1_n, 'url'))
                yield ') '
                yield str(environment.getattr(l_1_n, 'title'))
                yield ' — 重要性 '
                yield str(environment.getattr(l_1_n, 'importance'))
                yield '，'
                yield str(environment.getattr(l_1_n, 'kind'))
                yield ' · '
                yield str(environment.getattr(l_1_n, 'area'))
                yield '\n'
            l_1_n = missing
        else:
            pass
            yield '本窗口没有合并的 PR。\n'
        if (undefined(name='new_discussed') if l_0_new_discussed is missing else l_0_new_discussed):
            pass
            yield '\n新开且讨论较多的 PR：'
            l_1_loop = missing
            for l_1_i, l_1_loop in LoopContext((undefined(name='new_discussed') if l_0_new_discussed is missing else l_0_new_discussed), undefined):
                _loop_vars = {}
                pass
                yield str(context.call((undefined(name='ref') if l_0_ref is missing else l_0_ref), l_1_i, _loop_vars=_loop_vars))
                yield ' '
                yield str(environment.getattr(l_1_i, 'title'))
                yield ' ('
                yield str(environment.getattr(l_1_i, 'comments'))
                yield ' 条评论)'
                if (not environment.getattr(l_1_loop, 'last')):
                    pass
                    yield '；'
            l_1_loop = l_1_i = missing
            yield '。\n'
        yield '\n## 需要留意\n\n'
        if ((undefined(name='watch_issues') if l_0_watch_issues is missing else l_0_watch_issues) or (undefined(name='watch_merges') if l_0_watch_merges is missing else l_0_watch_merges)):
            pass
            for l_1_i in (undefined(name='watch_issues') if l_0_watch_issues is missing else l_0_watch_issues):
                _loop_vars = {}
                pass
                yield '- 缺陷报告 '
                yield str(context.call((undefined(name='ref') if l_0_ref is missing else l_0_ref), l_1_i, _loop_vars=_loop_vars))
                yield ' '
                yield str(environment.getattr(l_1_i, 'title'))
                yield ' ('
                yield str(environment.getattr(l_1_i, 'comments'))
                yield ' 条评论，'
                yield str(('已关闭' if (environment.getattr(l_1_i, 'state') == 'closed') else '未关闭'))
                yield ')\n'
            l_1_i = missing
            for l_1_m in (undefined(name='watch_merges') if l_0_watch_merges is missing else l_0_watch_merges):
                l_1_bug_threshold = resolve('bug_threshold')
                _loop_vars = {}
                pass
                yield '- 合并的 [#'
                yield str(environment.getattr(l_1_m, 'number'))
                yield ']('
                yield str(environment.getattr(l_1_m, 'url'))
                yield ') '
                yield str(environment.getattr(l_1_m, 'title'))
                yield '：模型估计 90 天内被缺陷修复追溯的概率为 '
                yield str(environment.getattr(l_1_m, 'p'))
                yield ' (阈值 '
                yield str((undefined(name='bug_threshold') if l_1_bug_threshold is missing else l_1_bug_threshold))
                yield ')\n'
            l_1_m = l_1_bug_threshold = missing
        else:
            pass
            yield '本窗口没有需要特别留意的条目。\n'
        yield '\n## 活动观察\n\n- 参与者：'
        yield str(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'contributors'))
        yield ' 位贡献者'
        if environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'bots'):
            pass
            yield '、'
            yield str(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'bots'))
            yield ' 个机器人'
        yield '；新开草稿 PR '
        yield str(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'drafts'))
        yield ' 个。\n'
        if t_2(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'reviewed')):
            pass
            yield '- 评审：'
            yield str(environment.getattr(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'reviewed'), 'merged'))
            yield ' 个合并的 PR 中，'
            yield str(environment.getattr(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'reviewed'), 'approved'))
            yield ' 个获得批准，'
            yield str(environment.getattr(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'reviewed'), 'changes_requested'))
            yield ' 个曾被要求修改。\n'
        if t_2(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'median_hours_to_merge')):
            pass
            yield '- 从创建到合并的中位时间 '
            yield str(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'median_hours_to_merge'))
            yield ' 小时。\n'
        yield '\n## 附录\n\n'
        for (l_1_key, l_1_title) in [('new_issues', '新开 issue'), ('closed_issues', '关闭的 issue'), ('new_prs', '新开 PR'), ('merged_prs', '合并的 PR'), ('closed_unmerged', '未合并即关闭的 PR')]:
            l_1_appendix = resolve('appendix')
            _loop_vars = {}
            pass
            yield '### '
            yield str(l_1_title)
            yield ' ('
            yield str(environment.getitem((undefined(name='counts') if l_0_counts is missing else l_0_counts), l_1_key))
            yield ')\n\n'
            if environment.getitem((undefined(name='appendix') if l_1_appendix is missing else l_1_appendix), l_1_key):
                pass
                for l_2_i in environment.getitem((undefined(name='appendix') if l_1_appendix is missing else l_1_appendix), l_1_key):
                    _loop_vars = {}
                    pass
                    yield '- '
                    yield str(context.call((undefined(name='line') if l_0_line is missing else l_0_line), l_2_i, _loop_vars=_loop_vars))
                    yield '\n'
                l_2_i = missing
            else:
                pass
                yield '无。\n'
            yield '\n'
        l_1_key = l_1_title = l_1_appendix = missing

blocks = {}
debug_info = '1=41&2=56&3=90&5=94&6=96&7=102&10=120&15=126&20=173&21=176&22=180&31=201&32=203&33=207&41=225&42=227&43=231&48=247&50=251&55=266&56=268&57=272&59=281&60=286&68=301&69=311&70=314&72=320&73=323&78=326&79=331&81=335&82=337&83=341'