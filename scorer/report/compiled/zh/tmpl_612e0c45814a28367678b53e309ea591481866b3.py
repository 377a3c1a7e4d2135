from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'risks.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_risks = resolve('risks')
    l_0_hardware_note = resolve('hardware_note')
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_2 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_3 = environment.filters['oneline']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'oneline' found.")
    try:
        t_4 = environment.filters['prlist']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'prlist' found.")
    pass
    yield '## 风险观察\n\n'
    if (undefined(name='risks') if l_0_risks is missing else l_0_risks):
        pass
        l_1_loop = missing
        for l_1_r, l_1_loop in LoopContext((undefined(name='risks') if l_0_risks is missing else l_0_risks), undefined):
            l_1_e = missing
            _loop_vars = {}
            pass
            l_1_e = environment.getattr(l_1_r, 'evidence')
            _loop_vars['e'] = l_1_e
            l_2_bug_window_days = resolve('bug_window_days')
            t_5 = []
            pass
            t_5.extend((
                '- **',
                str(environment.getattr(l_1_r, 'name')),
                '** (',
                str(environment.getattr(l_1_r, 'count')),
                ' 个 PR',
            ))
            if (environment.getattr(l_1_r, 'source') == 'model'):
                pass
                t_5.append(
                    '，模型判定',
                )
                if environment.getattr(l_1_r, 'threshold'):
                    pass
                    t_5.extend((
                        '，阈值 ',
                        str(environment.getattr(l_1_r, 'threshold')),
                    ))
            else:
                pass
                t_5.append(
                    '，规则判定',
                )
            t_5.append(
                ')：代表 PR ',
            )
            l_3_loop = missing
            for l_3_p, l_3_loop in LoopContext(environment.getattr(l_1_r, 'prs'), undefined):
                _loop_vars = {}
                pass
                t_5.extend((
                    '#',
                    str(environment.getattr(l_3_p, 'number')),
                ))
                if (not environment.getattr(l_3_loop, 'last')):
                    pass
                    t_5.append(
                        '、',
                    )
            l_3_loop = l_3_p = missing
            t_5.append(
                '。\n',
            )
            if (environment.getattr(l_1_r, 'tag') == 'core-path'):
                pass
                t_5.append(
                    '核心路径的改动影响所有请求路径，回归代价最高',
                )
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'):
                    pass
                    t_5.append(
                        '；改动最多的核心文件是',
                    )
                    l_3_loop = missing
                    for l_3_f, l_3_loop in LoopContext(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'), undefined):
                        _loop_vars = {}
                        pass
                        t_5.extend((
                            ' `',
                            str(environment.getattr(l_3_f, 'file')),
                            '` (',
                            str(environment.getattr(l_3_f, 'prs')),
                            ' 个 PR)',
                        ))
                        if (not environment.getattr(l_3_loop, 'last')):
                            pass
                            t_5.append(
                                '、',
                            )
                    l_3_loop = l_3_f = missing
                t_5.append(
                    '。\n',
                )
            elif (environment.getattr(l_1_r, 'tag') == 'missing-tests'):
                pass
                t_5.append(
                    '源码变更没有配套测试，问题只能在下游暴露',
                )
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'modules'):
                    pass
                    t_5.append(
                        '；集中在',
                    )
                    l_3_loop = missing
                    for l_3_m, l_3_loop in LoopContext(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'modules'), undefined):
                        _loop_vars = {}
                        pass
                        t_5.extend((
                            str(environment.getattr(l_3_m, 'name')),
                            ' (',
                            str(environment.getattr(l_3_m, 'prs')),
                            ' 个)',
                        ))
                        if (not environment.getattr(l_3_loop, 'last')):
                            pass
                            t_5.append(
                                '、',
                            )
                    l_3_loop = l_3_m = missing
                t_5.append(
                    '。\n',
                )
            elif (environment.getattr(l_1_r, 'tag') == 'dependency'):
                pass
                t_5.append(
                    '依赖变化可能影响构建与下游环境',
                )
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'deps'):
                    pass
                    t_5.append(
                        '；本周的版本变化：',
                    )
                    l_3_loop = missing
                    for l_3_d, l_3_loop in LoopContext(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'deps'), undefined):
                        _loop_vars = {}
                        pass
                        t_5.extend((
                            str(environment.getattr(l_3_d, 'name')),
                            ' ',
                            str(environment.getattr(l_3_d, 'version')),
                        ))
                        if (not environment.getattr(l_3_loop, 'last')):
                            pass
                            t_5.append(
                                '、',
                            )
                    l_3_loop = l_3_d = missing
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'):
                    pass
                    t_5.append(
                        '；改动的依赖文件有',
                    )
                    l_3_loop = missing
                    for l_3_f, l_3_loop in LoopContext(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'), undefined):
                        _loop_vars = {}
                        pass
                        t_5.extend((
                            ' `',
                            str(environment.getattr(l_3_f, 'file')),
                            '`',
                        ))
                        if (not environment.getattr(l_3_loop, 'last')):
                            pass
                            t_5.append(
                                '、',
                            )
                    l_3_loop = l_3_f = missing
                t_5.append(
                    '。\n',
                )
            elif (environment.getattr(l_1_r, 'tag') == 'platform'):
                pass
                t_5.append(
                    '平台相关代码通常缺少全平台 CI 覆盖',
                )
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'platforms'):
                    pass
                    t_5.append(
                        '；本周涉及',
                    )
                    l_3_loop = missing
                    for l_3_p, l_3_loop in LoopContext(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'platforms'), undefined):
                        _loop_vars = {}
                        pass
                        t_5.extend((
                            ' ',
                            str(environment.getattr(l_3_p, 'name')),
                            ' (',
                            str(environment.getattr(l_3_p, 'prs')),
                            ' 个 PR)',
                        ))
                        if (not environment.getattr(l_3_loop, 'last')):
                            pass
                            t_5.append(
                                '、',
                            )
                    l_3_loop = l_3_p = missing
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'hardware'):
                    pass
                    t_5.extend((
                        '，标题提到 ',
                        str(t_1(context.eval_ctx, environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'hardware'), '、')),
                    ))
                t_5.append(
                    '。\n',
                )
            elif (environment.getattr(l_1_r, 'tag') == 'interface'):
                pass
                t_5.append(
                    '接口与配置的变化会直接影响用户',
                )
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'):
                    pass
                    t_5.append(
                        '；改动最多的是',
                    )
                    l_3_loop = missing
                    for l_3_f, l_3_loop in LoopContext(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'), undefined):
                        _loop_vars = {}
                        pass
                        t_5.extend((
                            ' `',
                            str(environment.getattr(l_3_f, 'file')),
                            '` (',
                            str(environment.getattr(l_3_f, 'prs')),
                            ' 个 PR)',
                        ))
                        if (not environment.getattr(l_3_loop, 'last')):
                            pass
                            t_5.append(
                                '、',
                            )
                    l_3_loop = l_3_f = missing
                t_5.append(
                    '。\n',
                )
            elif (environment.getattr(l_1_r, 'tag') == 'bug-inducing'):
                pass
                t_5.extend((
                    '模型估计这些 PR 在 ',
                    str((undefined(name='bug_window_days') if l_2_bug_window_days is missing else l_2_bug_window_days)),
                    ' 天内被缺陷修复追溯的概率较高',
                ))
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'):
                    pass
                    t_5.append(
                        '，',
                    )
                    if (t_2(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'numbers')) > 1):
                        pass
                        t_5.extend((
                            str(t_2(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'numbers'))),
                            ' 个 PR 并列最高 (',
                            str(t_4(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'numbers'))),
                            '，均为 ',
                            str(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'p')),
                            ')',
                        ))
                    else:
                        pass
                        t_5.extend((
                            '最高的是 #',
                            str(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'number')),
                            ' (',
                            str(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'p')),
                            ')',
                        ))
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'):
                    pass
                    t_5.append(
                        '；它们最常改动',
                    )
                    l_3_loop = missing
                    for l_3_f, l_3_loop in LoopContext(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'files'), undefined):
                        _loop_vars = {}
                        pass
                        t_5.extend((
                            ' `',
                            str(environment.getattr(l_3_f, 'file')),
                            '` (',
                            str(environment.getattr(l_3_f, 'prs')),
                            ' 个 PR)',
                        ))
                        if (not environment.getattr(l_3_loop, 'last')):
                            pass
                            t_5.append(
                                '、',
                            )
                    l_3_loop = l_3_f = missing
                t_5.append(
                    '。\n',
                )
            elif (environment.getattr(l_1_r, 'tag') == 'reverted'):
                pass
                t_5.append(
                    '模型估计这些 PR 被回滚的概率较高',
                )
                if environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'):
                    pass
                    t_5.append(
                        '，',
                    )
                    if (t_2(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'numbers')) > 1):
                        pass
                        t_5.extend((
                            str(t_2(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'numbers'))),
                            ' 个 PR 并列最高 (',
                            str(t_4(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'numbers'))),
                            '，均为 ',
                            str(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'p')),
                            ')',
                        ))
                    else:
                        pass
                        t_5.extend((
                            '最高的是 #',
                            str(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'number')),
                            ' (',
                            str(environment.getattr(environment.getattr((undefined(name='e') if l_1_e is missing else l_1_e), 'max'), 'p')),
                            ')',
                        ))
                t_5.append(
                    '。\n',
                )
            yield t_3(concat(t_5))
            l_2_bug_window_days = missing
            yield '\n'
        l_1_loop = l_1_r = l_1_e = missing
        if (undefined(name='hardware_note') if l_0_hardware_note is missing else l_0_hardware_note):
            pass
            yield '- **只在一种硬件上验证的优化** ('
            yield str(environment.getattr((undefined(name='hardware_note') if l_0_hardware_note is missing else l_0_hardware_note), 'count'))
            yield ' 个 PR)：'
            l_1_loop = missing
            for l_1_p, l_1_loop in LoopContext(environment.getattr((undefined(name='hardware_note') if l_0_hardware_note is missing else l_0_hardware_note), 'prs'), undefined):
                _loop_vars = {}
                pass
                yield '#'
                yield str(environment.getattr(l_1_p, 'number'))
                yield ' 只提到 '
                yield str(environment.getattr(l_1_p, 'hardware'))
                if (not environment.getattr(l_1_loop, 'last')):
                    pass
                    yield '、'
            l_1_loop = l_1_p = missing
            yield '，在其他硬件上的效果未知。\n'
    else:
        pass
        yield '本周没有 PR 被标记风险标签。\n'

blocks = {}
debug_info = '3=38&4=41&5=45&7=52&8=93&9=123&10=152&11=200&12=236&13=266&14=322&6=354&19=358&20=361'