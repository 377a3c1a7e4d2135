from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'recommendations.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_recommendations = resolve('recommendations')
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_2 = environment.filters['prlist']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'prlist' found.")
    pass
    yield '## 后续建议\n\n'
    if (undefined(name='recommendations') if l_0_recommendations is missing else l_0_recommendations):
        pass
        l_1_loop = missing
        for l_1_r, l_1_loop in LoopContext((undefined(name='recommendations') if l_0_recommendations is missing else l_0_recommendations), undefined):
            _loop_vars = {}
            pass
            if (environment.getattr(l_1_r, 'rule') == 'tests'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. '
                yield str(environment.getattr(l_1_r, 'count'))
                yield ' 个重点 PR 修改了源码却没有配套测试 ('
                yield str(t_2(environment.getattr(l_1_r, 'prs')))
                yield ')，主要在'
                yield str(t_1(context.eval_ctx, environment.getattr(l_1_r, 'modules'), '、'))
                yield '，建议补充单元测试或端到端测试。\n'
            elif (environment.getattr(l_1_r, 'rule') == 'core'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. 本周有 '
                yield str(environment.getattr(l_1_r, 'count'))
                yield ' 个 PR 改动核心路径，集中在'
                yield str(t_1(context.eval_ctx, environment.getattr(l_1_r, 'modules'), '、'))
                yield ' ('
                yield str(t_2(environment.getattr(l_1_r, 'prs')))
                yield ')，建议针对这些模块安排回归测试。\n'
            elif (environment.getattr(l_1_r, 'rule') == 'dependency'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. '
                yield str(environment.getattr(l_1_r, 'count'))
                yield ' 个 PR 变更了依赖或构建文件 ('
                yield str(t_2(environment.getattr(l_1_r, 'prs')))
                yield ')'
                if environment.getattr(l_1_r, 'deps'):
                    pass
                    yield '，其中'
                    l_2_loop = missing
                    for l_2_d, l_2_loop in LoopContext(environment.getattr(l_1_r, 'deps'), undefined):
                        _loop_vars = {}
                        pass
                        yield ' '
                        yield str(environment.getattr(l_2_d, 'name'))
                        yield ' '
                        yield str(environment.getattr(l_2_d, 'version'))
                        if (not environment.getattr(l_2_loop, 'last')):
                            pass
                            yield '、'
                    l_2_loop = l_2_d = missing
                yield '，建议核对版本约束并写入发布说明。\n'
            elif (environment.getattr(l_1_r, 'rule') == 'bug'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. '
                yield str(environment.getattr(l_1_r, 'count'))
                yield ' 个 PR 的缺陷引入概率'
                if environment.getattr(l_1_r, 'decided'):
                    pass
                    yield '达到模型的判定阈值 '
                    yield str(environment.getattr(l_1_r, 'min_p'))
                else:
                    pass
                    yield '不低于 '
                    yield str(environment.getattr(l_1_r, 'min_p'))
                yield ' (最高 '
                yield str(environment.getattr(l_1_r, 'p'))
                yield '，'
                yield str(t_2(environment.getattr(l_1_r, 'prs')))
                yield ')，集中在'
                yield str(t_1(context.eval_ctx, environment.getattr(l_1_r, 'modules'), '、'))
                yield '，建议优先复审并关注后续问题反馈。\n'
            elif (environment.getattr(l_1_r, 'rule') == 'platform'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. '
                yield str(environment.getattr(l_1_r, 'count'))
                yield ' 个 PR 涉及平台相关代码 ('
                yield str(t_2(environment.getattr(l_1_r, 'prs')))
                yield ')'
                if environment.getattr(l_1_r, 'platforms'):
                    pass
                    yield '，主要是 '
                    yield str(t_1(context.eval_ctx, environment.getattr(l_1_r, 'platforms'), '、'))
                yield '，建议在对应硬件上补跑 CI。\n'
            elif (environment.getattr(l_1_r, 'rule') == 'fix_wave'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. 「'
                yield str(environment.getattr(l_1_r, 'theme'))
                yield '」本周有 '
                yield str(environment.getattr(l_1_r, 'count'))
                yield ' 个修复 ('
                yield str(t_2(environment.getattr(l_1_r, 'prs')))
                yield ')，说明新代码仍不稳定，建议补充该方向的端到端测试后再扩大使用。\n'
            elif (environment.getattr(l_1_r, 'rule') == 'story'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. 「'
                yield str(environment.getattr(l_1_r, 'theme'))
                yield '」本周集中出现 '
                yield str(environment.getattr(l_1_r, 'count'))
                yield ' 个 PR ('
                yield str(t_2(environment.getattr(l_1_r, 'prs')))
                yield ')，建议整理成一条发布说明并检查文档是否同步。\n'
            elif (environment.getattr(l_1_r, 'rule') == 'hardware'):
                pass
                yield str(environment.getattr(l_1_loop, 'index'))
                yield '. '
                yield str(environment.getattr(l_1_r, 'count'))
                yield ' 个性能优化只提到 '
                yield str(t_1(context.eval_ctx, environment.getattr(l_1_r, 'hardware'), '、'))
                yield ' ('
                yield str(t_2(environment.getattr(l_1_r, 'prs')))
                yield ')，建议在其他硬件上复测收益与正确性。\n'
        l_1_loop = l_1_r = missing
    else:
        pass
        yield '本周没有触发建议规则的情况。\n'

blocks = {}
debug_info = '3=25&4=28&5=31&6=33&7=41&8=43&9=51&10=53&11=75&12=77&13=96&14=98&15=109&16=111&17=119&18=121&19=129&20=131'