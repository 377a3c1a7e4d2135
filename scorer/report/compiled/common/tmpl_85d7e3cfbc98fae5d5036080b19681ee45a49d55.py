from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'daily/daily_en.md.j2'

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
        t_2 = environment.filters['plural']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'plural' found.")
    try:
        t_3 = environment.tests['defined']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No test named 'defined' found.")
    try:
        t_4 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    def macro(l_1_i):
        t_5 = []
        if l_1_i is missing:
            l_1_i = undefined("parameter 'i' was not provided", name='i')
        pass
        t_5.extend((
            '[#',
            str(environment.getattr(l_1_i, 'number')),
            '](',
            str(environment.getattr(l_1_i, 'url')),
            ')',
        ))
        return concat(t_5)
    context.exported_vars.add('ref')
    context.vars['ref'] = l_0_ref = Macro(environment, macro, 'ref', ('i',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_i):
        t_6 = []
        if l_1_i is missing:
            l_1_i = undefined("parameter 'i' was not provided", name='i')
        pass
        t_6.extend((
            str(context.call((undefined(name='ref') if l_0_ref is missing else l_0_ref), l_1_i)),
            ' ',
            str(environment.getattr(l_1_i, 'title')),
        ))
        if environment.getattr(l_1_i, 'labels'):
            pass
            t_6.extend((
                ' `',
                str(t_1(context.eval_ctx, environment.getattr(l_1_i, 'labels'), '` `')),
                '`',
            ))
        t_6.extend((
            ' — ',
            str(environment.getattr(l_1_i, 'author')),
        ))
        if environment.getattr(l_1_i, 'bot'):
            pass
            t_6.append(
                ' (bot)',
            )
        t_6.extend((
            ', ',
            str(environment.getattr(l_1_i, 'time')),
        ))
        return concat(t_6)
    context.exported_vars.add('line')
    context.vars['line'] = l_0_line = Macro(environment, macro, 'line', ('i',), False, False, False, context.eval_ctx.autoescape)
    yield '# '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'display_name'))
    yield ' daily report ('
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'period'))
    yield ')\n\n- Repository: `'
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'repo'))
    yield '`\n- Window: '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'start'))
    yield ' to '
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'end'))
    yield ' ('
    yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'tz'))
    yield ')\n- '
    yield str(t_2(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'new_issues'), 'new issue'))
    yield ', '
    yield str(t_2(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'closed_issues'), 'closed issue'))
    yield '; '
    yield str(t_2(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'new_prs'), 'new PR'))
    yield ', '
    yield str(t_2(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'merged_prs'), 'merged PR'))
    yield ', '
    yield str(t_2(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'closed_unmerged'), 'PR'))
    yield ' closed without merging. Generated automatically by scorer'
    if environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'model_name'):
        pass
        yield ' (model '
        yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'model_name'))
        yield ' '
        yield str(environment.getattr((undefined(name='header') if l_0_header is missing else l_0_header), 'model_version'))
        yield ')'
    yield '\n\n'
    if (undefined(name='empty') if l_0_empty is missing else l_0_empty):
        pass
        yield 'Nothing was opened, merged or closed in this window.\n'
    else:
        pass
        yield '## Status summary\n\nIn this window '
        yield str(t_2(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'new_issues'), 'issue'))
        yield ' '
        yield str(('was' if (environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'new_issues') == 1) else 'were'))
        yield ' opened and '
        yield str(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'closed_issues'))
        yield ' closed; '
        yield str(t_2(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'new_prs'), 'PR'))
        yield ' '
        yield str(('was' if (environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'new_prs') == 1) else 'were'))
        yield ' opened, '
        yield str(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'merged_prs'))
        yield ' merged and '
        yield str(environment.getattr((undefined(name='counts') if l_0_counts is missing else l_0_counts), 'closed_unmerged'))
        yield ' closed without merging.'
        if (not t_4(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'avg_importance'))):
            pass
            yield ' The merged PRs average '
            yield str(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'avg_importance'))
            yield ' in importance'
            if environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'kinds'):
                pass
                yield ', mostly '
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
                        yield ', '
                l_1_loop = l_1_k = missing
            yield '.'
        yield ' '
        yield str(t_2(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'contributors'), 'contributor'))
        yield ' took part'
        if environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'bots'):
            pass
            yield ', besides '
            yield str(t_2(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'bots'), 'bot account'))
        yield '.'
        if environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'open_bug_issues'):
            pass
            yield ' '
            yield str(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'open_bug_issues'))
            yield ' of the new bug issues '
            yield str(('is' if (environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'open_bug_issues') == 1) else 'are'))
            yield ' still open.'
        yield '\n\n## Platforms and ecosystem\n\n'
        if (undefined(name='platforms') if l_0_platforms is missing else l_0_platforms):
            pass
            l_1_loop = missing
            for l_1_p, l_1_loop in LoopContext((undefined(name='platforms') if l_0_platforms is missing else l_0_platforms), undefined):
                _loop_vars = {}
                pass
                yield '- **'
                yield str(environment.getattr(l_1_p, 'name'))
                yield '**: '
                yield str(t_2(environment.getattr(l_1_p, 'count'), 'item'))
                yield ' — '
                l_2_loop = missing
                for l_2_i, l_2_loop in LoopContext(environment.getattr(l_1_p, 'entries'), undefined):
                    _loop_vars = {}
                    pass
                    yield str(context.call((undefined(name='ref') if l_0_ref is missing else l_0_ref), l_2_i, _loop_vars=_loop_vars))
                    yield ' '
                    yield str(environment.getattr(l_2_i, 'title'))
                    if (not environment.getattr(l_2_loop, 'last')):
                        pass
                        yield '; '
                l_2_loop = l_2_i = missing
                yield '\n'
            l_1_loop = l_1_p = missing
        else:
            pass
            yield 'None this window.\n'
        yield '\n## Most discussed\n\n'
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
                yield str(t_2(environment.getattr(l_1_i, 'comments'), 'comment'))
                yield ' ('
                yield str(('issue' if (environment.getattr(l_1_i, 'kind') == 'issue') else 'PR'))
                yield ', '
                yield str(environment.getattr(l_1_i, 'author'))
                if environment.getattr(l_1_i, 'bot'):
                    pass
                    yield ', a bot'
                yield ')\n'
            l_1_i = missing
        else:
            pass
            yield 'No item in this window has comments.\n'
        yield '\n## Notable changes\n\n'
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
                yield ' — importance '
                yield str(environment.getattr(l_1_n, 'importance'))
                yield ', '
                yield str(environment.getattr(l_1_n, 'kind'))
                yield ' · '
                yield str(environment.getattr(l_1_n, 'area'))
                yield '\n'
            l_1_n = missing
        else:
            pass
            yield 'No PR was merged in this window.\n'
        if (undefined(name='new_discussed') if l_0_new_discussed is missing else l_0_new_discussed):
            pass
            yield '\nNew PRs drawing discussion: '
            l_1_loop = missing
            for l_1_i, l_1_loop in LoopContext((undefined(name='new_discussed') if l_0_new_discussed is missing else l_0_new_discussed), undefined):
                _loop_vars = {}
                pass
                yield str(context.call((undefined(name='ref') if l_0_ref is missing else l_0_ref), l_1_i, _loop_vars=_loop_vars))
                yield ' '
                yield str(environment.getattr(l_1_i, 'title'))
                yield ' ('
                yield str(t_2(environment.getattr(l_1_i, 'comments'), 'comment'))
                yield ')'
                if (not environment.getattr(l_1_loop, 'last')):
                    pass
                    yield '; '
            l_1_loop = l_1_i = missing
            yield '.\n'
        yield '\n## Watch items\n\n'
        if ((undefined(name='watch_issues') if l_0_watch_issues is missing else l_0_watch_issues) or (undefined(name='watch_merges') if l_0_watch_merges is missing else l_0_watch_merges)):
            pass
            for l_1_i in (undefined(name='watch_issues') if l_0_watch_issues is missing else l_0_watch_issues):
                _loop_vars = {}
                pass
                yield '- Bug report '
                yield str(context.call((undefined(name='ref') if l_0_ref is missing else l_0_ref), l_1_i, _loop_vars=_loop_vars))
                yield ' '
                yield str(environment.getattr(l_1_i, 'title'))
                yield ' ('
                yield str(t_2(environment.getattr(l_1_i, 'comments'), 'comment'))
                yield ', '
                yield str(('closed' if (environment.getattr(l_1_i, 'state') == 'closed') else 'open'))
                yield ')\n'
            l_1_i = missing
            for l_1_m in (undefined(name='watch_merges') if l_0_watch_merges is missing else l_0_watch_merges):
                l_1_bug_threshold = resolve('bug_threshold')
                _loop_vars = {}
                pass
                yield '- Merged [#'
                yield str(environment.getattr(l_1_m, 'number'))
                yield ']('
                yield str(environment.getattr(l_1_m, 'url'))
                yield ') '
                yield str(environment.getattr(l_1_m, 'title'))
                yield ': the model rates it '
                yield str(environment.getattr(l_1_m, 'p'))
                yield ' likely to be blamed by a bug fix within 90 days (threshold '
                yield str((undefined(name='bug_threshold') if l_1_bug_threshold is missing else l_1_bug_threshold))
                yield ')\n'
            l_1_m = l_1_bug_threshold = missing
        else:
            pass
            yield 'Nothing calls for special attention in this window.\n'
        yield '\n## Activity observations\n\n- Participation: '
        yield str(t_2(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'contributors'), 'contributor'))
        if environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'bots'):
            pass
            yield ', '
            yield str(t_2(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'bots'), 'bot'))
        yield '; '
        yield str(t_2(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'drafts'), 'draft PR'))
        yield ' opened.\n'
        if t_3(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'reviewed')):
            pass
            yield '- Reviews: of '
            yield str(t_2(environment.getattr(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'reviewed'), 'merged'), 'merged PR'))
            yield ', '
            yield str(environment.getattr(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'reviewed'), 'approved'))
            yield ' were approved and '
            yield str(environment.getattr(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'reviewed'), 'changes_requested'))
            yield ' had changes requested.\n'
        if t_3(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'median_hours_to_merge')):
            pass
            yield '- Median time from opening to merge: '
            yield str(environment.getattr((undefined(name='observations') if l_0_observations is missing else l_0_observations), 'median_hours_to_merge'))
            yield ' hours.\n'
        yield '\n## Appendix\n\n'
        for (l_1_key, l_1_title) in [('new_issues', 'New issues'), ('closed_issues', 'Closed issues'), ('new_prs', 'New PRs'), ('merged_prs', 'Merged PRs'), ('closed_unmerged', 'PRs closed without merging')]:
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
                yield 'None.\n'
            yield '\n'
        l_1_key = l_1_title = l_1_appendix = missing

blocks = {}
debug_info = '1=47&2=62&3=96&5=100&6=102&7=108&10=126&15=132&20=183&21=186&22=190&31=211&32=213&33=217&41=235&42=237&43=241&48=257&50=261&55=276&56=278&57=282&59=291&60=296&68=311&69=319&70=322&72=328&73=331&78=334&79=339&81=343&82=345&83=349'