from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'pr_summary.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_kind = resolve('kind')
    l_0_entity = resolve('entity')
    l_0_title = resolve('title')
    l_0_area = resolve('area')
    l_0_facts = resolve('facts')
    l_0_metric_words = missing
    try:
        t_1 = environment.filters['gain']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'gain' found.")
    try:
        t_2 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    pass
    l_0_metric_words = {'throughput': '吞吐', 'latency': '延迟', 'tpot': 'TPOT', 'ttft': 'TTFT', 'itl': 'ITL', 'e2e': '端到端性能', 'memory': '内存', 'speedup': '速度'}
    context.vars['metric_words'] = l_0_metric_words
    context.exported_vars.add('metric_words')
    if ((undefined(name='kind') if l_0_kind is missing else l_0_kind) == 'model'):
        pass
        if (undefined(name='entity') if l_0_entity is missing else l_0_entity):
            pass
            yield '新增 '
            yield str((undefined(name='entity') if l_0_entity is missing else l_0_entity))
            yield ' 模型支持'
        else:
            pass
            yield '新增模型：'
            yield str((undefined(name='title') if l_0_title is missing else l_0_title))
    elif ((undefined(name='kind') if l_0_kind is missing else l_0_kind) == 'fix'):
        pass
        yield '修复'
        if (undefined(name='entity') if l_0_entity is missing else l_0_entity):
            pass
            yield ' '
            yield str((undefined(name='entity') if l_0_entity is missing else l_0_entity))
            yield ' '
        yield str((undefined(name='area') if l_0_area is missing else l_0_area))
        yield '相关问题'
    elif ((undefined(name='kind') if l_0_kind is missing else l_0_kind) == 'performance'):
        pass
        yield '性能优化：'
        yield str(((undefined(name='entity') if l_0_entity is missing else l_0_entity) or (undefined(name='area') if l_0_area is missing else l_0_area)))
        for l_1_g in environment.getattr((undefined(name='facts') if l_0_facts is missing else l_0_facts), 'gains')[:1]:
            _loop_vars = {}
            pass
            yield '，'
            yield str(t_1(l_1_g))
        l_1_g = missing
        if environment.getattr((undefined(name='facts') if l_0_facts is missing else l_0_facts), 'hardware'):
            pass
            yield ' ('
            yield str(t_2(context.eval_ctx, environment.getattr((undefined(name='facts') if l_0_facts is missing else l_0_facts), 'hardware'), '、'))
            yield ')'
    elif ((undefined(name='kind') if l_0_kind is missing else l_0_kind) == 'feature'):
        pass
        yield str((undefined(name='area') if l_0_area is missing else l_0_area))
        yield '新功能'
        if (undefined(name='entity') if l_0_entity is missing else l_0_entity):
            pass
            yield '：'
            yield str((undefined(name='entity') if l_0_entity is missing else l_0_entity))
        if environment.getattr((undefined(name='facts') if l_0_facts is missing else l_0_facts), 'hardware'):
            pass
            yield ' ('
            yield str(t_2(context.eval_ctx, environment.getattr((undefined(name='facts') if l_0_facts is missing else l_0_facts), 'hardware'), '、'))
            yield ')'
    elif ((undefined(name='kind') if l_0_kind is missing else l_0_kind) == 'refactor'):
        pass
        yield '重构'
        yield str((undefined(name='area') if l_0_area is missing else l_0_area))
        if (undefined(name='entity') if l_0_entity is missing else l_0_entity):
            pass
            yield ' ('
            yield str((undefined(name='entity') if l_0_entity is missing else l_0_entity))
            yield ')'
    elif ((undefined(name='kind') if l_0_kind is missing else l_0_kind) == 'docs'):
        pass
        yield '文档更新'
        if (undefined(name='entity') if l_0_entity is missing else l_0_entity):
            pass
            yield '：'
            yield str((undefined(name='entity') if l_0_entity is missing else l_0_entity))
    elif ((undefined(name='kind') if l_0_kind is missing else l_0_kind) == 'ci'):
        pass
        yield 'CI/构建调整'
        if environment.getattr((undefined(name='facts') if l_0_facts is missing else l_0_facts), 'hardware'):
            pass
            yield ' ('
            yield str(t_2(context.eval_ctx, environment.getattr((undefined(name='facts') if l_0_facts is missing else l_0_facts), 'hardware'), '、'))
            yield ')'
    elif ((undefined(name='kind') if l_0_kind is missing else l_0_kind) == 'tests'):
        pass
        yield '测试补充与修复：'
        yield str((undefined(name='area') if l_0_area is missing else l_0_area))
    elif ((undefined(name='kind') if l_0_kind is missing else l_0_kind) == 'dependency'):
        pass
        yield '依赖更新'
        l_1_loop = missing
        for l_1_d, l_1_loop in LoopContext(environment.getattr((undefined(name='facts') if l_0_facts is missing else l_0_facts), 'deps')[:2], undefined):
            _loop_vars = {}
            pass
            yield str(('：' if environment.getattr(l_1_loop, 'first') else '、'))
            yield str(environment.getattr(l_1_d, 'name'))
            yield ' '
            yield str(environment.getattr(l_1_d, 'version'))
        l_1_loop = l_1_d = missing
    elif ((undefined(name='kind') if l_0_kind is missing else l_0_kind) == 'revert'):
        pass
        yield '回滚此前的改动'
    else:
        pass
        yield str((undefined(name='area') if l_0_area is missing else l_0_area))
        yield '调整'

blocks = {}
debug_info = '2=29&3=32&4=43&5=53&6=68&7=81&8=90&9=97&10=105&11=109&12=121&13=126'